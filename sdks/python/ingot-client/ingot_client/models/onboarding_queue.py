from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OnboardingQueue")


@_attrs_define
class OnboardingQueue:
    """
    Attributes:
        failures_24h (int): Machines whose commissioning failed in the last 24 hours.
        nodes (int): Nodes registered and not yet sellable.
        oldest_since (datetime.datetime | None | Unset):
    """

    failures_24h: int
    nodes: int
    oldest_since: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failures_24h = self.failures_24h

        nodes = self.nodes

        oldest_since: None | str | Unset
        if isinstance(self.oldest_since, Unset):
            oldest_since = UNSET
        elif isinstance(self.oldest_since, datetime.datetime):
            oldest_since = self.oldest_since.isoformat()
        else:
            oldest_since = self.oldest_since

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failures_24h": failures_24h,
                "nodes": nodes,
            }
        )
        if oldest_since is not UNSET:
            field_dict["oldest_since"] = oldest_since

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        failures_24h = d.pop("failures_24h")

        nodes = d.pop("nodes")

        def _parse_oldest_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                oldest_since_type_1 = datetime.datetime.fromisoformat(data)

                return oldest_since_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        oldest_since = _parse_oldest_since(d.pop("oldest_since", UNSET))

        onboarding_queue = cls(
            failures_24h=failures_24h,
            nodes=nodes,
            oldest_since=oldest_since,
        )

        onboarding_queue.additional_properties = d
        return onboarding_queue

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
