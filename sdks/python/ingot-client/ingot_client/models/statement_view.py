from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.usage_line import UsageLine


T = TypeVar("T", bound="StatementView")


@_attrs_define
class StatementView:
    """`GET /v1/tenants/{tenant_id}/statements/{yyyy-mm}`: the month's money, adding up exactly:
    opening + top_ups + credits − usage_total + other = closing.

        Attributes:
            closing_balance (Money):
            credits_ (Money):
            month (str): `2026-11`.
            opening_balance (Money):
            other (Money):
            tenant_id (str): tenant id
            top_ups (Money):
            usage (list[UsageLine]):
            usage_total (Money):
    """

    closing_balance: Money
    credits_: Money
    month: str
    opening_balance: Money
    other: Money
    tenant_id: str
    top_ups: Money
    usage: list[UsageLine]
    usage_total: Money
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        closing_balance = self.closing_balance.to_dict()

        credits_ = self.credits_.to_dict()

        month = self.month

        opening_balance = self.opening_balance.to_dict()

        other = self.other.to_dict()

        tenant_id = self.tenant_id

        top_ups = self.top_ups.to_dict()

        usage = []
        for usage_item_data in self.usage:
            usage_item = usage_item_data.to_dict()
            usage.append(usage_item)

        usage_total = self.usage_total.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "closing_balance": closing_balance,
                "credits": credits_,
                "month": month,
                "opening_balance": opening_balance,
                "other": other,
                "tenant_id": tenant_id,
                "top_ups": top_ups,
                "usage": usage,
                "usage_total": usage_total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.usage_line import UsageLine  # noqa: PLC0415

        d = dict(src_dict)
        closing_balance = Money.from_dict(d.pop("closing_balance"))

        credits_ = Money.from_dict(d.pop("credits"))

        month = d.pop("month")

        opening_balance = Money.from_dict(d.pop("opening_balance"))

        other = Money.from_dict(d.pop("other"))

        tenant_id = d.pop("tenant_id")

        top_ups = Money.from_dict(d.pop("top_ups"))

        usage = []
        _usage = d.pop("usage")
        for usage_item_data in _usage:
            usage_item = UsageLine.from_dict(usage_item_data)

            usage.append(usage_item)

        usage_total = Money.from_dict(d.pop("usage_total"))

        statement_view = cls(
            closing_balance=closing_balance,
            credits_=credits_,
            month=month,
            opening_balance=opening_balance,
            other=other,
            tenant_id=tenant_id,
            top_ups=top_ups,
            usage=usage,
            usage_total=usage_total,
        )

        statement_view.additional_properties = d
        return statement_view

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
