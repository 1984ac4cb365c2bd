from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="NodeHistoryEntry")


@_attrs_define
class NodeHistoryEntry:
    """One line of a node's history: registered, a lifecycle move, assigned to or freed from an
    allocation. Answers are newest first, at most [`NODE_HISTORY_MAX`].

        Attributes:
            at (datetime.datetime):
            detail (str): For people: `available → maintenance (operator): disk check`.
            kind (str): `registered`, `state_changed`, `assigned` or `freed`.
            allocation_id (None | str | Unset):
    """

    at: datetime.datetime
    detail: str
    kind: str
    allocation_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        detail = self.detail

        kind = self.kind

        allocation_id: None | str | Unset
        if isinstance(self.allocation_id, Unset):
            allocation_id = UNSET
        else:
            allocation_id = self.allocation_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "detail": detail,
                "kind": kind,
            }
        )
        if allocation_id is not UNSET:
            field_dict["allocation_id"] = allocation_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        detail = d.pop("detail")

        kind = d.pop("kind")

        def _parse_allocation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        allocation_id = _parse_allocation_id(d.pop("allocation_id", UNSET))

        node_history_entry = cls(
            at=at,
            detail=detail,
            kind=kind,
            allocation_id=allocation_id,
        )

        node_history_entry.additional_properties = d
        return node_history_entry

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
