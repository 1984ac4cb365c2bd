from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="BalanceView")


@_attrs_define
class BalanceView:
    """A tenant's money in one currency.

    Attributes:
        available (Money):
        cash (Money):
        credit_limit (Money):
        held (Money):
        promo (Money):
        tenant_id (str): tenant id
    """

    available: Money
    cash: Money
    credit_limit: Money
    held: Money
    promo: Money
    tenant_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        available = self.available.to_dict()

        cash = self.cash.to_dict()

        credit_limit = self.credit_limit.to_dict()

        held = self.held.to_dict()

        promo = self.promo.to_dict()

        tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
                "cash": cash,
                "credit_limit": credit_limit,
                "held": held,
                "promo": promo,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        available = Money.from_dict(d.pop("available"))

        cash = Money.from_dict(d.pop("cash"))

        credit_limit = Money.from_dict(d.pop("credit_limit"))

        held = Money.from_dict(d.pop("held"))

        promo = Money.from_dict(d.pop("promo"))

        tenant_id = d.pop("tenant_id")

        balance_view = cls(
            available=available,
            cash=cash,
            credit_limit=credit_limit,
            held=held,
            promo=promo,
            tenant_id=tenant_id,
        )

        balance_view.additional_properties = d
        return balance_view

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
