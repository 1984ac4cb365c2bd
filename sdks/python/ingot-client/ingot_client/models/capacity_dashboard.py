from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.as_of import AsOf
    from ..models.capacity_cell import CapacityCell


T = TypeVar("T", bound="CapacityDashboard")


@_attrs_define
class CapacityDashboard:
    """`GET /v1/admin/dashboards/capacity`.

    Attributes:
        as_of (AsOf): What an answer reflects: every event up to `position` of the event history (in commit
            order) that concerns it.
        cells (list[CapacityCell]): One per site and SKU (nodes matching no SKU yet under `sku_id` absent).
    """

    as_of: AsOf
    cells: list[CapacityCell]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.to_dict()

        cells = []
        for cells_item_data in self.cells:
            cells_item = cells_item_data.to_dict()
            cells.append(cells_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "cells": cells,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.as_of import AsOf  # noqa: PLC0415
        from ..models.capacity_cell import CapacityCell  # noqa: PLC0415

        d = dict(src_dict)
        as_of = AsOf.from_dict(d.pop("as_of"))

        cells = []
        _cells = d.pop("cells")
        for cells_item_data in _cells:
            cells_item = CapacityCell.from_dict(cells_item_data)

            cells.append(cells_item)

        capacity_dashboard = cls(
            as_of=as_of,
            cells=cells,
        )

        capacity_dashboard.additional_properties = d
        return capacity_dashboard

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
