from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_action import HealthAction
from ..types import UNSET, Unset

T = TypeVar("T", bound="HealthCondition")


@_attrs_define
class HealthCondition:
    """Something observed about a node's health; separate from its lifecycle state.

    Attributes:
        action (HealthAction): What a health condition means for operations.
        kind (str): `gpu_xid_error`, `ib_link_down`, `power_drift`, `maintenance`…
        since (datetime.datetime):
        source (str): Who reported it: `operator:usr_…`, `reconciler`, a provisioning system.
        detail (None | str | Unset):
    """

    action: HealthAction
    kind: str
    since: datetime.datetime
    source: str
    detail: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        kind = self.kind

        since = self.since.isoformat()

        source = self.source

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "kind": kind,
                "since": since,
                "source": source,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = HealthAction(d.pop("action"))

        kind = d.pop("kind")

        since = datetime.datetime.fromisoformat(d.pop("since"))

        source = d.pop("source")

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        health_condition = cls(
            action=action,
            kind=kind,
            since=since,
            source=source,
            detail=detail,
        )

        health_condition.additional_properties = d
        return health_condition

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
