from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sku_constraints import SkuConstraints


T = TypeVar("T", bound="SkuView")


@_attrs_define
class SkuView:
    """
    Attributes:
        active (bool):
        constraints (SkuConstraints): What a SKU demands of a node. Machines are sold whole, so the GPU model and count
            are exact;
            cores, RAM and storage are minimums.
        description (str):
        id (str): sku id
        name (str): Stable, human name: `gpu-8x-h100`.
    """

    active: bool
    constraints: SkuConstraints
    description: str
    id: str
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        constraints = self.constraints.to_dict()

        description = self.description

        id = self.id

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "constraints": constraints,
                "description": description,
                "id": id,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sku_constraints import SkuConstraints  # noqa: PLC0415

        d = dict(src_dict)
        active = d.pop("active")

        constraints = SkuConstraints.from_dict(d.pop("constraints"))

        description = d.pop("description")

        id = d.pop("id")

        name = d.pop("name")

        sku_view = cls(
            active=active,
            constraints=constraints,
            description=description,
            id=id,
            name=name,
        )

        sku_view.additional_properties = d
        return sku_view

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
