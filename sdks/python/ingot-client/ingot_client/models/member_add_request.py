from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.tenant_role import TenantRole

T = TypeVar("T", bound="MemberAddRequest")


@_attrs_define
class MemberAddRequest:
    """`POST /v1/tenants/{tenant_id}/members`: adds an existing user by email.

    Attributes:
        email (str):
        role (TenantRole): Roles within a tenant. Owner > Admin > Member > Viewer; Billing sees money, not machines.
    """

    email: str
    role: TenantRole

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        role = TenantRole(d.pop("role"))

        member_add_request = cls(
            email=email,
            role=role,
        )

        return member_add_request
