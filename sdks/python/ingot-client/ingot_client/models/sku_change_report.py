from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sku_move_view import SkuMoveView
    from ..models.sku_view import SkuView


T = TypeVar("T", bound="SkuChangeReport")


@_attrs_define
class SkuChangeReport:
    """What creating or changing a SKU did to the fleet.

    Attributes:
        moved (list[SkuMoveView]):
        sku (SkuView):
    """

    moved: list[SkuMoveView]
    sku: SkuView
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        moved = []
        for moved_item_data in self.moved:
            moved_item = moved_item_data.to_dict()
            moved.append(moved_item)

        sku = self.sku.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "moved": moved,
                "sku": sku,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sku_move_view import SkuMoveView  # noqa: PLC0415
        from ..models.sku_view import SkuView  # noqa: PLC0415

        d = dict(src_dict)
        moved = []
        _moved = d.pop("moved")
        for moved_item_data in _moved:
            moved_item = SkuMoveView.from_dict(moved_item_data)

            moved.append(moved_item)

        sku = SkuView.from_dict(d.pop("sku"))

        sku_change_report = cls(
            moved=moved,
            sku=sku,
        )

        sku_change_report.additional_properties = d
        return sku_change_report

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
