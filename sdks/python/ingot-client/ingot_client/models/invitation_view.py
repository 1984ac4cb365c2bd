from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tenant_role import TenantRole

T = TypeVar("T", bound="InvitationView")


@_attrs_define
class InvitationView:
    """
    Attributes:
        created_at (datetime.datetime):
        email (str):
        expires_at (datetime.datetime):
        id (str): invitation id
        invited_by (str): user id
        role (TenantRole): Roles within a tenant. Owner > Admin > Member > Viewer; Billing sees money, not machines.
        tenant_id (str): tenant id
    """

    created_at: datetime.datetime
    email: str
    expires_at: datetime.datetime
    id: str
    invited_by: str
    role: TenantRole
    tenant_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        email = self.email

        expires_at = self.expires_at.isoformat()

        id = self.id

        invited_by = self.invited_by

        role = self.role.value

        tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "email": email,
                "expires_at": expires_at,
                "id": id,
                "invited_by": invited_by,
                "role": role,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        email = d.pop("email")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        id = d.pop("id")

        invited_by = d.pop("invited_by")

        role = TenantRole(d.pop("role"))

        tenant_id = d.pop("tenant_id")

        invitation_view = cls(
            created_at=created_at,
            email=email,
            expires_at=expires_at,
            id=id,
            invited_by=invited_by,
            role=role,
            tenant_id=tenant_id,
        )

        invitation_view.additional_properties = d
        return invitation_view

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
