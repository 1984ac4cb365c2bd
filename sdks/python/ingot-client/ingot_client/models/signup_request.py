from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SignupRequest")


@_attrs_define
class SignupRequest:
    """`POST /v1/auth/signup`.

    Attributes:
        display_name (str):
        email (str):
        password (str): At least 12 characters, not a common password.
        tenant_name (str):
    """

    display_name: str
    email: str
    password: str
    tenant_name: str

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        email = self.email

        password = self.password

        tenant_name = self.tenant_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "display_name": display_name,
                "email": email,
                "password": password,
                "tenant_name": tenant_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        display_name = d.pop("display_name")

        email = d.pop("email")

        password = d.pop("password")

        tenant_name = d.pop("tenant_name")

        signup_request = cls(
            display_name=display_name,
            email=email,
            password=password,
            tenant_name=tenant_name,
        )

        return signup_request
