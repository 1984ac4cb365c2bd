from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CapacityView")


@_attrs_define
class CapacityView:
    """Counts for one site × SKU. Operators see every column; tenants see `total` and `available`.

    Attributes:
        available (int):
        site (str):
        site_id (str): site id
        total (int): available + assigned + maintenance + onboarding.
        assigned (int | None | Unset):
        maintenance (int | None | Unset): Out of service: maintenance, quarantine, or a health condition that prevents
            allocation.
        onboarding (int | None | Unset):
        sku (None | str | Unset):
        sku_id (None | str | Unset):
        unmatched (int | None | Unset):
    """

    available: int
    site: str
    site_id: str
    total: int
    assigned: int | None | Unset = UNSET
    maintenance: int | None | Unset = UNSET
    onboarding: int | None | Unset = UNSET
    sku: None | str | Unset = UNSET
    sku_id: None | str | Unset = UNSET
    unmatched: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        available = self.available

        site = self.site

        site_id = self.site_id

        total = self.total

        assigned: int | None | Unset
        if isinstance(self.assigned, Unset):
            assigned = UNSET
        else:
            assigned = self.assigned

        maintenance: int | None | Unset
        if isinstance(self.maintenance, Unset):
            maintenance = UNSET
        else:
            maintenance = self.maintenance

        onboarding: int | None | Unset
        if isinstance(self.onboarding, Unset):
            onboarding = UNSET
        else:
            onboarding = self.onboarding

        sku: None | str | Unset
        if isinstance(self.sku, Unset):
            sku = UNSET
        else:
            sku = self.sku

        sku_id: None | str | Unset
        if isinstance(self.sku_id, Unset):
            sku_id = UNSET
        else:
            sku_id = self.sku_id

        unmatched: int | None | Unset
        if isinstance(self.unmatched, Unset):
            unmatched = UNSET
        else:
            unmatched = self.unmatched

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
                "site": site,
                "site_id": site_id,
                "total": total,
            }
        )
        if assigned is not UNSET:
            field_dict["assigned"] = assigned
        if maintenance is not UNSET:
            field_dict["maintenance"] = maintenance
        if onboarding is not UNSET:
            field_dict["onboarding"] = onboarding
        if sku is not UNSET:
            field_dict["sku"] = sku
        if sku_id is not UNSET:
            field_dict["sku_id"] = sku_id
        if unmatched is not UNSET:
            field_dict["unmatched"] = unmatched

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        available = d.pop("available")

        site = d.pop("site")

        site_id = d.pop("site_id")

        total = d.pop("total")

        def _parse_assigned(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        assigned = _parse_assigned(d.pop("assigned", UNSET))

        def _parse_maintenance(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        maintenance = _parse_maintenance(d.pop("maintenance", UNSET))

        def _parse_onboarding(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        onboarding = _parse_onboarding(d.pop("onboarding", UNSET))

        def _parse_sku(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku = _parse_sku(d.pop("sku", UNSET))

        def _parse_sku_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku_id = _parse_sku_id(d.pop("sku_id", UNSET))

        def _parse_unmatched(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        unmatched = _parse_unmatched(d.pop("unmatched", UNSET))

        capacity_view = cls(
            available=available,
            site=site,
            site_id=site_id,
            total=total,
            assigned=assigned,
            maintenance=maintenance,
            onboarding=onboarding,
            sku=sku,
            sku_id=sku_id,
            unmatched=unmatched,
        )

        capacity_view.additional_properties = d
        return capacity_view

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
