from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.site_status import SiteStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="SiteCreateRequest")


@_attrs_define
class SiteCreateRequest:
    """`POST /v1/admin/sites`.

    Attributes:
        country (str):
        name (str): Lowercase letters, digits and `-`, 2–32 characters: `fra1`.
        region (str):
        status (None | SiteStatus | Unset):
    """

    country: str
    name: str
    region: str
    status: None | SiteStatus | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        name = self.name

        region = self.region

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, SiteStatus):
            status = self.status.value
        else:
            status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "country": country,
                "name": name,
                "region": region,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        country = d.pop("country")

        name = d.pop("name")

        region = d.pop("region")

        def _parse_status(data: object) -> None | SiteStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_1 = SiteStatus(data)

                return status_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SiteStatus | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        site_create_request = cls(
            country=country,
            name=name,
            region=region,
            status=status,
        )

        return site_create_request
