from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="RevenueDay")


@_attrs_define
class RevenueDay:
    """
    Attributes:
        credits_ (Money):
        day (str):
        refunds (Money):
        top_ups (Money):
        usage (Money):
    """

    credits_: Money
    day: str
    refunds: Money
    top_ups: Money
    usage: Money
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credits_ = self.credits_.to_dict()

        day = self.day

        refunds = self.refunds.to_dict()

        top_ups = self.top_ups.to_dict()

        usage = self.usage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "credits": credits_,
                "day": day,
                "refunds": refunds,
                "top_ups": top_ups,
                "usage": usage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        credits_ = Money.from_dict(d.pop("credits"))

        day = d.pop("day")

        refunds = Money.from_dict(d.pop("refunds"))

        top_ups = Money.from_dict(d.pop("top_ups"))

        usage = Money.from_dict(d.pop("usage"))

        revenue_day = cls(
            credits_=credits_,
            day=day,
            refunds=refunds,
            top_ups=top_ups,
            usage=usage,
        )

        revenue_day.additional_properties = d
        return revenue_day

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
