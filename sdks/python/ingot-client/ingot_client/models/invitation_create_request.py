from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.tenant_role import TenantRole

T = TypeVar("T", bound="InvitationCreateRequest")


@_attrs_define
class InvitationCreateRequest:
    """`POST /v1/tenants/{tenant_id}/invitations`: invites someone without an account yet. Signing
    up with that email joins the tenant with the role.

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

        invitation_create_request = cls(
            email=email,
            role=role,
        )

        return invitation_create_request
