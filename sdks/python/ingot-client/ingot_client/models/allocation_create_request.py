from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.placement_policy import PlacementPolicy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_choice import TemplateChoice


T = TypeVar("T", bound="AllocationCreateRequest")


@_attrs_define
class AllocationCreateRequest:
    """`POST /v1/projects/{project_id}/allocations`.

    Attributes:
        count (int):
        sku (str): SKU name, such as `gpu-8x-h100`.
        dry_run (bool | Unset): Decide only: every reason it would be refused, nothing assigned or reserved.
        image (None | str | Unset): Image to deploy; default `jammy`.
        placement (PlacementPolicy | Unset): How an allocation's nodes must sit relative to each other.
        release_at (datetime.datetime | None | Unset):
        site (None | str | Unset): Site name; absent: a site that can serve the whole request is chosen.
        ssh_keys (list[str] | Unset): SSH keys installed for the tenant: ids of the project's keys (`key_…`, see
            `/v1/projects/{project_id}/ssh-keys`) or OpenSSH public key lines.
        template (None | TemplateChoice | Unset):
        user_data (None | str | Unset): cloud-init user-data: `#cloud-config` YAML or a `#!` script, at most 16 KiB. Not
            with
            `template`.
    """

    count: int
    sku: str
    dry_run: bool | Unset = UNSET
    image: None | str | Unset = UNSET
    placement: PlacementPolicy | Unset = UNSET
    release_at: datetime.datetime | None | Unset = UNSET
    site: None | str | Unset = UNSET
    ssh_keys: list[str] | Unset = UNSET
    template: None | TemplateChoice | Unset = UNSET
    user_data: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.template_choice import TemplateChoice  # noqa: PLC0415

        count = self.count

        sku = self.sku

        dry_run = self.dry_run

        image: None | str | Unset
        if isinstance(self.image, Unset):
            image = UNSET
        else:
            image = self.image

        placement: str | Unset = UNSET
        if not isinstance(self.placement, Unset):
            placement = self.placement.value

        release_at: None | str | Unset
        if isinstance(self.release_at, Unset):
            release_at = UNSET
        elif isinstance(self.release_at, datetime.datetime):
            release_at = self.release_at.isoformat()
        else:
            release_at = self.release_at

        site: None | str | Unset
        if isinstance(self.site, Unset):
            site = UNSET
        else:
            site = self.site

        ssh_keys: list[str] | Unset = UNSET
        if not isinstance(self.ssh_keys, Unset):
            ssh_keys = self.ssh_keys

        template: dict[str, Any] | None | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        elif isinstance(self.template, TemplateChoice):
            template = self.template.to_dict()
        else:
            template = self.template

        user_data: None | str | Unset
        if isinstance(self.user_data, Unset):
            user_data = UNSET
        else:
            user_data = self.user_data

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
                "sku": sku,
            }
        )
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run
        if image is not UNSET:
            field_dict["image"] = image
        if placement is not UNSET:
            field_dict["placement"] = placement
        if release_at is not UNSET:
            field_dict["release_at"] = release_at
        if site is not UNSET:
            field_dict["site"] = site
        if ssh_keys is not UNSET:
            field_dict["ssh_keys"] = ssh_keys
        if template is not UNSET:
            field_dict["template"] = template
        if user_data is not UNSET:
            field_dict["user_data"] = user_data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_choice import TemplateChoice  # noqa: PLC0415

        d = dict(src_dict)
        count = d.pop("count")

        sku = d.pop("sku")

        dry_run = d.pop("dry_run", UNSET)

        def _parse_image(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image = _parse_image(d.pop("image", UNSET))

        _placement = d.pop("placement", UNSET)
        placement: PlacementPolicy | Unset
        if isinstance(_placement, Unset):
            placement = UNSET
        else:
            placement = PlacementPolicy(_placement)

        def _parse_release_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                release_at_type_1 = datetime.datetime.fromisoformat(data)

                return release_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        release_at = _parse_release_at(d.pop("release_at", UNSET))

        def _parse_site(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        site = _parse_site(d.pop("site", UNSET))

        ssh_keys = cast(list[str], d.pop("ssh_keys", UNSET))

        def _parse_template(data: object) -> None | TemplateChoice | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                template_type_1 = TemplateChoice.from_dict(data)

                return template_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateChoice | Unset, data)

        template = _parse_template(d.pop("template", UNSET))

        def _parse_user_data(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_data = _parse_user_data(d.pop("user_data", UNSET))

        allocation_create_request = cls(
            count=count,
            sku=sku,
            dry_run=dry_run,
            image=image,
            placement=placement,
            release_at=release_at,
            site=site,
            ssh_keys=ssh_keys,
            template=template,
            user_data=user_data,
        )

        return allocation_create_request
