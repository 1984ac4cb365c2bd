from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.as_of import AsOf
    from ..models.revenue_cell import RevenueCell
    from ..models.revenue_day import RevenueDay
    from ..models.revenue_totals import RevenueTotals


T = TypeVar("T", bound="RevenueDashboard")


@_attrs_define
class RevenueDashboard:
    """`GET /v1/admin/dashboards/revenue?days=N`.

    Attributes:
        as_of (AsOf): What an answer reflects: every event up to `position` of the event history (in commit
            order) that concerns it.
        by_sku_site (list[RevenueCell]): Usage revenue over the window per SKU and site, largest first.
        days (list[RevenueDay]):
        totals (RevenueTotals):
    """

    as_of: AsOf
    by_sku_site: list[RevenueCell]
    days: list[RevenueDay]
    totals: RevenueTotals
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.to_dict()

        by_sku_site = []
        for by_sku_site_item_data in self.by_sku_site:
            by_sku_site_item = by_sku_site_item_data.to_dict()
            by_sku_site.append(by_sku_site_item)

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)

        totals = self.totals.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "by_sku_site": by_sku_site,
                "days": days,
                "totals": totals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.as_of import AsOf  # noqa: PLC0415
        from ..models.revenue_cell import RevenueCell  # noqa: PLC0415
        from ..models.revenue_day import RevenueDay  # noqa: PLC0415
        from ..models.revenue_totals import RevenueTotals  # noqa: PLC0415

        d = dict(src_dict)
        as_of = AsOf.from_dict(d.pop("as_of"))

        by_sku_site = []
        _by_sku_site = d.pop("by_sku_site")
        for by_sku_site_item_data in _by_sku_site:
            by_sku_site_item = RevenueCell.from_dict(by_sku_site_item_data)

            by_sku_site.append(by_sku_site_item)

        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = RevenueDay.from_dict(days_item_data)

            days.append(days_item)

        totals = RevenueTotals.from_dict(d.pop("totals"))

        revenue_dashboard = cls(
            as_of=as_of,
            by_sku_site=by_sku_site,
            days=days,
            totals=totals,
        )

        revenue_dashboard.additional_properties = d
        return revenue_dashboard

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
