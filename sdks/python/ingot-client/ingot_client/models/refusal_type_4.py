from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refusal_type_4_reason import RefusalType4Reason

T = TypeVar("T", bound="RefusalType4")


@_attrs_define
class RefusalType4:
    """Not enough eligible nodes.

    Attributes:
        asked (int):
        available (int):
        reason (RefusalType4Reason):
    """

    asked: int
    available: int
    reason: RefusalType4Reason
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asked = self.asked

        available = self.available

        reason = self.reason.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asked": asked,
                "available": available,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asked = d.pop("asked")

        available = d.pop("available")

        reason = RefusalType4Reason(d.pop("reason"))

        refusal_type_4 = cls(
            asked=asked,
            available=available,
            reason=reason,
        )

        refusal_type_4.additional_properties = d
        return refusal_type_4

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
