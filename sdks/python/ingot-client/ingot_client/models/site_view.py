from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.site_status import SiteStatus

T = TypeVar("T", bound="SiteView")


@_attrs_define
class SiteView:
    """
    Attributes:
        country (str): ISO 3166-1 alpha-2.
        id (str): site id
        name (str): Stable short name used in URLs: `fra1`.
        region (str):
        status (SiteStatus):
    """

    country: str
    id: str
    name: str
    region: str
    status: SiteStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        id = self.id

        name = self.name

        region = self.region

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "country": country,
                "id": id,
                "name": name,
                "region": region,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        country = d.pop("country")

        id = d.pop("id")

        name = d.pop("name")

        region = d.pop("region")

        status = SiteStatus(d.pop("status"))

        site_view = cls(
            country=country,
            id=id,
            name=name,
            region=region,
            status=status,
        )

        site_view.additional_properties = d
        return site_view

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
