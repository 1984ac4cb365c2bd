from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="UsageLine")


@_attrs_define
class UsageLine:
    """One node's usage in a statement's month.

    Attributes:
        allocation_id (str): allocation id
        amount (Money):
        node_id (str): node id
        seconds (int): Billed seconds in the month (after fault credits), at `hourly_rate`.
        hourly_rate (Money | None | Unset):
        sku_id (None | str | Unset):
    """

    allocation_id: str
    amount: Money
    node_id: str
    seconds: int
    hourly_rate: Money | None | Unset = UNSET
    sku_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        allocation_id = self.allocation_id

        amount = self.amount.to_dict()

        node_id = self.node_id

        seconds = self.seconds

        hourly_rate: dict[str, Any] | None | Unset
        if isinstance(self.hourly_rate, Unset):
            hourly_rate = UNSET
        elif isinstance(self.hourly_rate, Money):
            hourly_rate = self.hourly_rate.to_dict()
        else:
            hourly_rate = self.hourly_rate

        sku_id: None | str | Unset
        if isinstance(self.sku_id, Unset):
            sku_id = UNSET
        else:
            sku_id = self.sku_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allocation_id": allocation_id,
                "amount": amount,
                "node_id": node_id,
                "seconds": seconds,
            }
        )
        if hourly_rate is not UNSET:
            field_dict["hourly_rate"] = hourly_rate
        if sku_id is not UNSET:
            field_dict["sku_id"] = sku_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        allocation_id = d.pop("allocation_id")

        amount = Money.from_dict(d.pop("amount"))

        node_id = d.pop("node_id")

        seconds = d.pop("seconds")

        def _parse_hourly_rate(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                hourly_rate_type_1 = Money.from_dict(data)

                return hourly_rate_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        hourly_rate = _parse_hourly_rate(d.pop("hourly_rate", UNSET))

        def _parse_sku_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku_id = _parse_sku_id(d.pop("sku_id", UNSET))

        usage_line = cls(
            allocation_id=allocation_id,
            amount=amount,
            node_id=node_id,
            seconds=seconds,
            hourly_rate=hourly_rate,
            sku_id=sku_id,
        )

        usage_line.additional_properties = d
        return usage_line

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
