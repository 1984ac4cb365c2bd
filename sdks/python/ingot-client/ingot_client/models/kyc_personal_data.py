from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="KycPersonalData")


@_attrs_define
class KycPersonalData:
    """The details a manual review needs; IAM decides what is required and checks every field.

    Attributes:
        address (str): The registered address, 1 to 1000 characters (line breaks allowed).
        country (str): ISO 3166-1 alpha-2 country code, e.g. `DE` (either case).
        legal_name (str): The organisation's or person's legal name, 1 to 200 characters.
    """

    address: str
    country: str
    legal_name: str

    def to_dict(self) -> dict[str, Any]:
        address = self.address

        country = self.country

        legal_name = self.legal_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "address": address,
                "country": country,
                "legal_name": legal_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        address = d.pop("address")

        country = d.pop("country")

        legal_name = d.pop("legal_name")

        kyc_personal_data = cls(
            address=address,
            country=country,
            legal_name=legal_name,
        )

        return kyc_personal_data
