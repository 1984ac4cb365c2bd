from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refusal_type_2_reason import RefusalType2Reason

T = TypeVar("T", bound="RefusalType2")


@_attrs_define
class RefusalType2:
    """An operator's quota for this SKU (`scope` is `tenant` or `project`).

    Attributes:
        asked (int):
        in_use (int):
        max_ (int):
        reason (RefusalType2Reason):
        scope (str):
    """

    asked: int
    in_use: int
    max_: int
    reason: RefusalType2Reason
    scope: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asked = self.asked

        in_use = self.in_use

        max_ = self.max_

        reason = self.reason.value

        scope = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asked": asked,
                "in_use": in_use,
                "max": max_,
                "reason": reason,
                "scope": scope,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asked = d.pop("asked")

        in_use = d.pop("in_use")

        max_ = d.pop("max")

        reason = RefusalType2Reason(d.pop("reason"))

        scope = d.pop("scope")

        refusal_type_2 = cls(
            asked=asked,
            in_use=in_use,
            max_=max_,
            reason=reason,
            scope=scope,
        )

        refusal_type_2.additional_properties = d
        return refusal_type_2

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
