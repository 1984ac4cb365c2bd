from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="CreditRequest")


@_attrs_define
class CreditRequest:
    """`POST /v1/admin/tenants/{tenant_id}/credits`: finance gives a tenant money (the manual
    provider), audited.

        Attributes:
            amount (Money):
            reason (str): Why: kept in the ledger memo and the audit log.
            promotional (bool | Unset): Promotional credit instead of cash.
    """

    amount: Money
    reason: str
    promotional: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount.to_dict()

        reason = self.reason

        promotional = self.promotional

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "reason": reason,
            }
        )
        if promotional is not UNSET:
            field_dict["promotional"] = promotional

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        amount = Money.from_dict(d.pop("amount"))

        reason = d.pop("reason")

        promotional = d.pop("promotional", UNSET)

        credit_request = cls(
            amount=amount,
            reason=reason,
            promotional=promotional,
        )

        return credit_request
