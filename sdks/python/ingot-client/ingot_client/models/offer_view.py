from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="OfferView")


@_attrs_define
class OfferView:
    """One SKU sold at one site: `GET /v1/catalog/offers`.

    Attributes:
        available (int): Nodes that could be allocated right now.
        hourly_price (Money):
        site (str):
        site_id (str): site id
        sku (str):
        sku_id (str): sku id
    """

    available: int
    hourly_price: Money
    site: str
    site_id: str
    sku: str
    sku_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        available = self.available

        hourly_price = self.hourly_price.to_dict()

        site = self.site

        site_id = self.site_id

        sku = self.sku

        sku_id = self.sku_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
                "hourly_price": hourly_price,
                "site": site,
                "site_id": site_id,
                "sku": sku,
                "sku_id": sku_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        available = d.pop("available")

        hourly_price = Money.from_dict(d.pop("hourly_price"))

        site = d.pop("site")

        site_id = d.pop("site_id")

        sku = d.pop("sku")

        sku_id = d.pop("sku_id")

        offer_view = cls(
            available=available,
            hourly_price=hourly_price,
            site=site,
            site_id=site_id,
            sku=sku,
            sku_id=sku_id,
        )

        offer_view.additional_properties = d
        return offer_view

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
