from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="NodeSince")


@_attrs_define
class NodeSince:
    """
    Attributes:
        node_id (str): node id
        phase (str): `quarantined`, `onboarding`, `deploying`.
        since (datetime.datetime):
        site_id (str): site id
        reason (None | str | Unset):
    """

    node_id: str
    phase: str
    since: datetime.datetime
    site_id: str
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        node_id = self.node_id

        phase = self.phase

        since = self.since.isoformat()

        site_id = self.site_id

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "node_id": node_id,
                "phase": phase,
                "since": since,
                "site_id": site_id,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        node_id = d.pop("node_id")

        phase = d.pop("phase")

        since = datetime.datetime.fromisoformat(d.pop("since"))

        site_id = d.pop("site_id")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        node_since = cls(
            node_id=node_id,
            phase=phase,
            since=since,
            site_id=site_id,
            reason=reason,
        )

        node_since.additional_properties = d
        return node_since

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
