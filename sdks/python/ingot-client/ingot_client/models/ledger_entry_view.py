from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="LedgerEntryView")


@_attrs_define
class LedgerEntryView:
    """One ledger movement as a tenant sees it: what happened to one of its accounts.

    Attributes:
        account (str): `cash` or `promo`.
        amount (Money):
        at (datetime.datetime):
        kind (str): `top_up`, `credit`, `usage`, `refund`, `reversal`, `adjustment`.
        memo (str):
        transaction_id (str): ledger transaction id
    """

    account: str
    amount: Money
    at: datetime.datetime
    kind: str
    memo: str
    transaction_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account = self.account

        amount = self.amount.to_dict()

        at = self.at.isoformat()

        kind = self.kind

        memo = self.memo

        transaction_id = self.transaction_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account": account,
                "amount": amount,
                "at": at,
                "kind": kind,
                "memo": memo,
                "transaction_id": transaction_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        account = d.pop("account")

        amount = Money.from_dict(d.pop("amount"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        kind = d.pop("kind")

        memo = d.pop("memo")

        transaction_id = d.pop("transaction_id")

        ledger_entry_view = cls(
            account=account,
            amount=amount,
            at=at,
            kind=kind,
            memo=memo,
            transaction_id=transaction_id,
        )

        ledger_entry_view.additional_properties = d
        return ledger_entry_view

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
