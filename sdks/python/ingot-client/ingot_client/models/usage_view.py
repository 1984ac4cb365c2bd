from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="UsageView")


@_attrs_define
class UsageView:
    """One metered node of one allocation, as `GET /v1/tenants/{tenant_id}/usage` shows it.

    Attributes:
        allocation_id (str): allocation id
        charged (Money):
        node_id (str): node id
        hourly_rate (Money | None | Unset):
        sku_id (None | str | Unset):
        started_at (datetime.datetime | None | Unset):
        stopped_at (datetime.datetime | None | Unset):
    """

    allocation_id: str
    charged: Money
    node_id: str
    hourly_rate: Money | None | Unset = UNSET
    sku_id: None | str | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    stopped_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        allocation_id = self.allocation_id

        charged = self.charged.to_dict()

        node_id = self.node_id

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

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        stopped_at: None | str | Unset
        if isinstance(self.stopped_at, Unset):
            stopped_at = UNSET
        elif isinstance(self.stopped_at, datetime.datetime):
            stopped_at = self.stopped_at.isoformat()
        else:
            stopped_at = self.stopped_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allocation_id": allocation_id,
                "charged": charged,
                "node_id": node_id,
            }
        )
        if hourly_rate is not UNSET:
            field_dict["hourly_rate"] = hourly_rate
        if sku_id is not UNSET:
            field_dict["sku_id"] = sku_id
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if stopped_at is not UNSET:
            field_dict["stopped_at"] = stopped_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        allocation_id = d.pop("allocation_id")

        charged = Money.from_dict(d.pop("charged"))

        node_id = d.pop("node_id")

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

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_1 = datetime.datetime.fromisoformat(data)

                return started_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_stopped_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                stopped_at_type_1 = datetime.datetime.fromisoformat(data)

                return stopped_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        stopped_at = _parse_stopped_at(d.pop("stopped_at", UNSET))

        usage_view = cls(
            allocation_id=allocation_id,
            charged=charged,
            node_id=node_id,
            hourly_rate=hourly_rate,
            sku_id=sku_id,
            started_at=started_at,
            stopped_at=stopped_at,
        )

        usage_view.additional_properties = d
        return usage_view

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
