from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MaintenanceRequest")


@_attrs_define
class MaintenanceRequest:
    """`POST /v1/admin/nodes/{node_id}/maintenance`.

    Attributes:
        enabled (bool): true = take the node out of service; false = return it.
        force (bool | Unset): Take an assigned node anyway: Allocation is asked to move or end its allocation first.
        reason (None | str | Unset):
    """

    enabled: bool
    force: bool | Unset = UNSET
    reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        force = self.force

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "enabled": enabled,
            }
        )
        if force is not UNSET:
            field_dict["force"] = force
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled")

        force = d.pop("force", UNSET)

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        maintenance_request = cls(
            enabled=enabled,
            force=force,
            reason=reason,
        )

        return maintenance_request
