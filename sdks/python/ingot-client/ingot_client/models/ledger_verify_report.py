from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LedgerVerifyReport")


@_attrs_define
class LedgerVerifyReport:
    """`GET /v1/admin/ledger/verify`.

    Attributes:
        accounts (int):
        breaches (list[str]): Every broken invariant, named.
        ok (bool):
        transactions (int):
        transfers (int):
    """

    accounts: int
    breaches: list[str]
    ok: bool
    transactions: int
    transfers: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accounts = self.accounts

        breaches = self.breaches

        ok = self.ok

        transactions = self.transactions

        transfers = self.transfers

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accounts": accounts,
                "breaches": breaches,
                "ok": ok,
                "transactions": transactions,
                "transfers": transfers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accounts = d.pop("accounts")

        breaches = cast(list[str], d.pop("breaches"))

        ok = d.pop("ok")

        transactions = d.pop("transactions")

        transfers = d.pop("transfers")

        ledger_verify_report = cls(
            accounts=accounts,
            breaches=breaches,
            ok=ok,
            transactions=transactions,
            transfers=transfers,
        )

        ledger_verify_report.additional_properties = d
        return ledger_verify_report

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
