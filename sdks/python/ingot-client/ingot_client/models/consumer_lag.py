from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConsumerLag")


@_attrs_define
class ConsumerLag:
    """
    Attributes:
        behind (int): Events after its cursor (counted up to 10,000).
        consumer (str): The consumer's cursor name: `allocation.lifecycle`, `read-models/capacity/g1`.
        lag_seconds (float): Age of the oldest event it has not read; 0 when caught up.
    """

    behind: int
    consumer: str
    lag_seconds: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        behind = self.behind

        consumer = self.consumer

        lag_seconds = self.lag_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "behind": behind,
                "consumer": consumer,
                "lag_seconds": lag_seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        behind = d.pop("behind")

        consumer = d.pop("consumer")

        lag_seconds = d.pop("lag_seconds")

        consumer_lag = cls(
            behind=behind,
            consumer=consumer,
            lag_seconds=lag_seconds,
        )

        consumer_lag.additional_properties = d
        return consumer_lag

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
