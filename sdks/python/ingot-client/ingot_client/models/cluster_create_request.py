from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cluster_create_request_variables import ClusterCreateRequestVariables


T = TypeVar("T", bound="ClusterCreateRequest")


@_attrs_define
class ClusterCreateRequest:
    """`POST /v1/projects/{project_id}/clusters`: a head node and `workers` worker nodes, each its
    own allocation, their user-data rendered from one template with the cluster's wiring
    (`ingot_cluster_name`, `ingot_role`, `ingot_node_index`, `ingot_head_address` — the head's
    host name —, `ingot_cluster_token`).

        Attributes:
            name (str): 1–40 of `a-z`, `0-9`, `-`, unique among the project's clusters.
            sku (str): The head node's SKU.
            template (str): A template's id or name, such as `ingot-k3s-cluster`.
            workers (int): 0–64.
            image (None | str | Unset):
            site (None | str | Unset):
            ssh_keys (list[str] | Unset): Key ids of the project or OpenSSH public keys, installed on every node.
            variables (ClusterCreateRequestVariables | Unset):
            worker_sku (None | str | Unset): The workers' SKU [default: the head's].
    """

    name: str
    sku: str
    template: str
    workers: int
    image: None | str | Unset = UNSET
    site: None | str | Unset = UNSET
    ssh_keys: list[str] | Unset = UNSET
    variables: ClusterCreateRequestVariables | Unset = UNSET
    worker_sku: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        sku = self.sku

        template = self.template

        workers = self.workers

        image: None | str | Unset
        if isinstance(self.image, Unset):
            image = UNSET
        else:
            image = self.image

        site: None | str | Unset
        if isinstance(self.site, Unset):
            site = UNSET
        else:
            site = self.site

        ssh_keys: list[str] | Unset = UNSET
        if not isinstance(self.ssh_keys, Unset):
            ssh_keys = self.ssh_keys

        variables: dict[str, Any] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = self.variables.to_dict()

        worker_sku: None | str | Unset
        if isinstance(self.worker_sku, Unset):
            worker_sku = UNSET
        else:
            worker_sku = self.worker_sku

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "sku": sku,
                "template": template,
                "workers": workers,
            }
        )
        if image is not UNSET:
            field_dict["image"] = image
        if site is not UNSET:
            field_dict["site"] = site
        if ssh_keys is not UNSET:
            field_dict["ssh_keys"] = ssh_keys
        if variables is not UNSET:
            field_dict["variables"] = variables
        if worker_sku is not UNSET:
            field_dict["worker_sku"] = worker_sku

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cluster_create_request_variables import ClusterCreateRequestVariables  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        sku = d.pop("sku")

        template = d.pop("template")

        workers = d.pop("workers")

        def _parse_image(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image = _parse_image(d.pop("image", UNSET))

        def _parse_site(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        site = _parse_site(d.pop("site", UNSET))

        ssh_keys = cast(list[str], d.pop("ssh_keys", UNSET))

        _variables = d.pop("variables", UNSET)
        variables: ClusterCreateRequestVariables | Unset
        if isinstance(_variables, Unset):
            variables = UNSET
        else:
            variables = ClusterCreateRequestVariables.from_dict(_variables)

        def _parse_worker_sku(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        worker_sku = _parse_worker_sku(d.pop("worker_sku", UNSET))

        cluster_create_request = cls(
            name=name,
            sku=sku,
            template=template,
            workers=workers,
            image=image,
            site=site,
            ssh_keys=ssh_keys,
            variables=variables,
            worker_sku=worker_sku,
        )

        return cluster_create_request
