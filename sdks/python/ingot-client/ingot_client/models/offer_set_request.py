from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="OfferSetRequest")


@_attrs_define
class OfferSetRequest:
    """`PUT /v1/admin/offers/{sku_id}/{site}`.

    Attributes:
        hourly_price (Money):
        reason (None | str | Unset): Why the price changes; kept in the audit log.
    """

    hourly_price: Money
    reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        hourly_price = self.hourly_price.to_dict()

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "hourly_price": hourly_price,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        hourly_price = Money.from_dict(d.pop("hourly_price"))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        offer_set_request = cls(
            hourly_price=hourly_price,
            reason=reason,
        )

        return offer_set_request
