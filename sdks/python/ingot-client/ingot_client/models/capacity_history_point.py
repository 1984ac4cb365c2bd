from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CapacityHistoryPoint")


@_attrs_define
class CapacityHistoryPoint:
    """One hour's capacity snapshot for dashboards.

    Attributes:
        assigned (int):
        available (int):
        hour (datetime.datetime):
        maintenance (int):
        onboarding (int):
        site_id (str): site id
        total (int):
        unmatched (int):
        sku_id (None | str | Unset):
    """

    assigned: int
    available: int
    hour: datetime.datetime
    maintenance: int
    onboarding: int
    site_id: str
    total: int
    unmatched: int
    sku_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assigned = self.assigned

        available = self.available

        hour = self.hour.isoformat()

        maintenance = self.maintenance

        onboarding = self.onboarding

        site_id = self.site_id

        total = self.total

        unmatched = self.unmatched

        sku_id: None | str | Unset
        if isinstance(self.sku_id, Unset):
            sku_id = UNSET
        else:
            sku_id = self.sku_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assigned": assigned,
                "available": available,
                "hour": hour,
                "maintenance": maintenance,
                "onboarding": onboarding,
                "site_id": site_id,
                "total": total,
                "unmatched": unmatched,
            }
        )
        if sku_id is not UNSET:
            field_dict["sku_id"] = sku_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        assigned = d.pop("assigned")

        available = d.pop("available")

        hour = datetime.datetime.fromisoformat(d.pop("hour"))

        maintenance = d.pop("maintenance")

        onboarding = d.pop("onboarding")

        site_id = d.pop("site_id")

        total = d.pop("total")

        unmatched = d.pop("unmatched")

        def _parse_sku_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku_id = _parse_sku_id(d.pop("sku_id", UNSET))

        capacity_history_point = cls(
            assigned=assigned,
            available=available,
            hour=hour,
            maintenance=maintenance,
            onboarding=onboarding,
            site_id=site_id,
            total=total,
            unmatched=unmatched,
            sku_id=sku_id,
        )

        capacity_history_point.additional_properties = d
        return capacity_history_point

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
