from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refusal_type_5_reason import RefusalType5Reason

T = TypeVar("T", bound="RefusalType5")


@_attrs_define
class RefusalType5:
    """`same_fabric` asked, and no fabric group has that many eligible nodes.

    Attributes:
        asked (int):
        largest_group (int):
        reason (RefusalType5Reason):
    """

    asked: int
    largest_group: int
    reason: RefusalType5Reason
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asked = self.asked

        largest_group = self.largest_group

        reason = self.reason.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asked": asked,
                "largest_group": largest_group,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asked = d.pop("asked")

        largest_group = d.pop("largest_group")

        reason = RefusalType5Reason(d.pop("reason"))

        refusal_type_5 = cls(
            asked=asked,
            largest_group=largest_group,
            reason=reason,
        )

        refusal_type_5.additional_properties = d
        return refusal_type_5

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
