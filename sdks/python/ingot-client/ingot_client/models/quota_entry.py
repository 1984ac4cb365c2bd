from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="QuotaEntry")


@_attrs_define
class QuotaEntry:
    """One node quota: at most `max_nodes` nodes of `sku` at once, for the whole tenant or (with
    `project_id`) for one of its projects.

        Attributes:
            max_nodes (int):
            sku (str): SKU name, such as `gpu-8x-h100`.
            project_id (None | str | Unset):
    """

    max_nodes: int
    sku: str
    project_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_nodes = self.max_nodes

        sku = self.sku

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "max_nodes": max_nodes,
                "sku": sku,
            }
        )
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_nodes = d.pop("max_nodes")

        sku = d.pop("sku")

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        quota_entry = cls(
            max_nodes=max_nodes,
            sku=sku,
            project_id=project_id,
        )

        return quota_entry
