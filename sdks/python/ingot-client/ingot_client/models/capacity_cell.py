from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.utilisation_point import UtilisationPoint


T = TypeVar("T", bound="CapacityCell")


@_attrs_define
class CapacityCell:
    """
    Attributes:
        assigned (int):
        available (int): Sellable now: in service and not assigned.
        decommissioning (int):
        history (list[UtilisationPoint]): Hourly, the last 48 hours with any change, oldest first.
        maintenance (int):
        onboarding (int):
        quarantined (int):
        site_id (str): site id
        total (int): Every node not retired.
        utilisation (float): Assigned ÷ in service (available + assigned), 0 to 1.
        site (None | str | Unset): The site's and SKU's names, from the catalog (absent when it could not say).
        sku (None | str | Unset):
        sku_id (None | str | Unset):
    """

    assigned: int
    available: int
    decommissioning: int
    history: list[UtilisationPoint]
    maintenance: int
    onboarding: int
    quarantined: int
    site_id: str
    total: int
    utilisation: float
    site: None | str | Unset = UNSET
    sku: None | str | Unset = UNSET
    sku_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assigned = self.assigned

        available = self.available

        decommissioning = self.decommissioning

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        maintenance = self.maintenance

        onboarding = self.onboarding

        quarantined = self.quarantined

        site_id = self.site_id

        total = self.total

        utilisation = self.utilisation

        site: None | str | Unset
        if isinstance(self.site, Unset):
            site = UNSET
        else:
            site = self.site

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assigned": assigned,
                "available": available,
                "decommissioning": decommissioning,
                "history": history,
                "maintenance": maintenance,
                "onboarding": onboarding,
                "quarantined": quarantined,
                "site_id": site_id,
                "total": total,
                "utilisation": utilisation,
            }
        )
        if site is not UNSET:
            field_dict["site"] = site
        if sku is not UNSET:
            field_dict["sku"] = sku
        if sku_id is not UNSET:
            field_dict["sku_id"] = sku_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.utilisation_point import UtilisationPoint  # noqa: PLC0415

        d = dict(src_dict)
        assigned = d.pop("assigned")

        available = d.pop("available")

        decommissioning = d.pop("decommissioning")

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = UtilisationPoint.from_dict(history_item_data)

            history.append(history_item)

        maintenance = d.pop("maintenance")

        onboarding = d.pop("onboarding")

        quarantined = d.pop("quarantined")

        site_id = d.pop("site_id")

        total = d.pop("total")

        utilisation = d.pop("utilisation")

        def _parse_site(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        site = _parse_site(d.pop("site", UNSET))

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

        capacity_cell = cls(
            assigned=assigned,
            available=available,
            decommissioning=decommissioning,
            history=history,
            maintenance=maintenance,
            onboarding=onboarding,
            quarantined=quarantined,
            site_id=site_id,
            total=total,
            utilisation=utilisation,
            site=site,
            sku=sku,
            sku_id=sku_id,
        )

        capacity_cell.additional_properties = d
        return capacity_cell

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
