from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="CreditLimitRequest")


@_attrs_define
class CreditLimitRequest:
    """`PUT /v1/admin/tenants/{tenant_id}/credit-limit`: how far below zero finance lets an invoiced
    tenant's cash go (zero for prepaid).

        Attributes:
            credit_limit (Money):
            reason (str):
    """

    credit_limit: Money
    reason: str

    def to_dict(self) -> dict[str, Any]:
        credit_limit = self.credit_limit.to_dict()

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "credit_limit": credit_limit,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        credit_limit = Money.from_dict(d.pop("credit_limit"))

        reason = d.pop("reason")

        credit_limit_request = cls(
            credit_limit=credit_limit,
            reason=reason,
        )

        return credit_limit_request
