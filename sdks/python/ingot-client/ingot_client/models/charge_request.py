from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="ChargeRequest")


@_attrs_define
class ChargeRequest:
    """`POST /v1/admin/tenants/{tenant_id}/charges`: finance charges a tenant by hand (damages,
    corrections), audited; refused with `insufficient_funds` past the tenant's floor.

        Attributes:
            amount (Money):
            reason (str):
    """

    amount: Money
    reason: str

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount.to_dict()

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        amount = Money.from_dict(d.pop("amount"))

        reason = d.pop("reason")

        charge_request = cls(
            amount=amount,
            reason=reason,
        )

        return charge_request
