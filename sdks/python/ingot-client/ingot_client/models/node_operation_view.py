from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="NodeOperationView")


@_attrs_define
class NodeOperationView:
    """An operator's workflow on one node: drained (maintenance), erased with the disks' secure
    erase, then re-commissioned and returned (reimage) or removed or tagged and retired
    (decommission).

        Attributes:
            id (str):
            kind (str): `reimage` or `decommission`.
            node_id (str): node id
            phase (str): `erasing`, `commissioning`, `removing`, `done`, `failed`.
            reason (str):
            started_at (datetime.datetime):
            finished_at (datetime.datetime | None | Unset):
            message (None | str | Unset): Why it failed, in the provisioning system's words.
    """

    id: str
    kind: str
    node_id: str
    phase: str
    reason: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None | Unset = UNSET
    message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind

        node_id = self.node_id

        phase = self.phase

        reason = self.reason

        started_at = self.started_at.isoformat()

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "node_id": node_id,
                "phase": phase,
                "reason": reason,
                "started_at": started_at,
            }
        )
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = d.pop("kind")

        node_id = d.pop("node_id")

        phase = d.pop("phase")

        reason = d.pop("reason")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_1 = datetime.datetime.fromisoformat(data)

                return finished_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        node_operation_view = cls(
            id=id,
            kind=kind,
            node_id=node_id,
            phase=phase,
            reason=reason,
            started_at=started_at,
            finished_at=finished_at,
            message=message,
        )

        node_operation_view.additional_properties = d
        return node_operation_view

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
