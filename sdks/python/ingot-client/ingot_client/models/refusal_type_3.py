from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refusal_type_3_reason import RefusalType3Reason

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="RefusalType3")


@_attrs_define
class RefusalType3:
    """The balance does not cover the runway at the new total rate.

    Attributes:
        available (Money):
        hours (int):
        needed (Money):
        reason (RefusalType3Reason):
    """

    available: Money
    hours: int
    needed: Money
    reason: RefusalType3Reason
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        available = self.available.to_dict()

        hours = self.hours

        needed = self.needed.to_dict()

        reason = self.reason.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
                "hours": hours,
                "needed": needed,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        available = Money.from_dict(d.pop("available"))

        hours = d.pop("hours")

        needed = Money.from_dict(d.pop("needed"))

        reason = RefusalType3Reason(d.pop("reason"))

        refusal_type_3 = cls(
            available=available,
            hours=hours,
            needed=needed,
            reason=reason,
        )

        refusal_type_3.additional_properties = d
        return refusal_type_3

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
