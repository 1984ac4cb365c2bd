from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refusal_type_1_reason import RefusalType1Reason

T = TypeVar("T", bound="RefusalType1")


@_attrs_define
class RefusalType1:
    """The tenant's verification level caps nodes running at once.

    Attributes:
        asked (int):
        max_ (int):
        reason (RefusalType1Reason):
        running (int):
    """

    asked: int
    max_: int
    reason: RefusalType1Reason
    running: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asked = self.asked

        max_ = self.max_

        reason = self.reason.value

        running = self.running

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asked": asked,
                "max": max_,
                "reason": reason,
                "running": running,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asked = d.pop("asked")

        max_ = d.pop("max")

        reason = RefusalType1Reason(d.pop("reason"))

        running = d.pop("running")

        refusal_type_1 = cls(
            asked=asked,
            max_=max_,
            reason=reason,
            running=running,
        )

        refusal_type_1.additional_properties = d
        return refusal_type_1

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
