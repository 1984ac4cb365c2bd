from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageView")


@_attrs_define
class ImageView:
    """An OS image a tenant may deploy at a site (`GET /v1/images`): the site's region offers it and
    the site's policy allows it.

        Attributes:
            architectures (list[str]):
            default (bool): Deployed at this site when an allocation names no image.
            name (str): What an allocation names as `image`: `jammy`.
            os (str):
            site (str):
            site_id (str): site id
            title (str): `Ubuntu 22.04 LTS`.
            synced_at (datetime.datetime | None | Unset):
    """

    architectures: list[str]
    default: bool
    name: str
    os: str
    site: str
    site_id: str
    title: str
    synced_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        architectures = self.architectures

        default = self.default

        name = self.name

        os = self.os

        site = self.site

        site_id = self.site_id

        title = self.title

        synced_at: None | str | Unset
        if isinstance(self.synced_at, Unset):
            synced_at = UNSET
        elif isinstance(self.synced_at, datetime.datetime):
            synced_at = self.synced_at.isoformat()
        else:
            synced_at = self.synced_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "architectures": architectures,
                "default": default,
                "name": name,
                "os": os,
                "site": site,
                "site_id": site_id,
                "title": title,
            }
        )
        if synced_at is not UNSET:
            field_dict["synced_at"] = synced_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        architectures = cast(list[str], d.pop("architectures"))

        default = d.pop("default")

        name = d.pop("name")

        os = d.pop("os")

        site = d.pop("site")

        site_id = d.pop("site_id")

        title = d.pop("title")

        def _parse_synced_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                synced_at_type_1 = datetime.datetime.fromisoformat(data)

                return synced_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        synced_at = _parse_synced_at(d.pop("synced_at", UNSET))

        image_view = cls(
            architectures=architectures,
            default=default,
            name=name,
            os=os,
            site=site,
            site_id=site_id,
            title=title,
            synced_at=synced_at,
        )

        image_view.additional_properties = d
        return image_view

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
