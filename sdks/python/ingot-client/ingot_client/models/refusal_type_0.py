from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refusal_type_0_reason import RefusalType0Reason

T = TypeVar("T", bound="RefusalType0")


@_attrs_define
class RefusalType0:
    """The tenant's verification level does not allow this SKU.

    Attributes:
        reason (RefusalType0Reason):
        sku (str):
    """

    reason: RefusalType0Reason
    sku: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason.value

        sku = self.sku

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
                "sku": sku,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = RefusalType0Reason(d.pop("reason"))

        sku = d.pop("sku")

        refusal_type_0 = cls(
            reason=reason,
            sku=sku,
        )

        refusal_type_0.additional_properties = d
        return refusal_type_0

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
