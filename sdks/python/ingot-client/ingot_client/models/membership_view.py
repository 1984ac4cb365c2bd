from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tenant_role import TenantRole

T = TypeVar("T", bound="MembershipView")


@_attrs_define
class MembershipView:
    """
    Attributes:
        role (TenantRole): Roles within a tenant. Owner > Admin > Member > Viewer; Billing sees money, not machines.
        tenant_id (str): tenant id
        tenant_name (str):
    """

    role: TenantRole
    tenant_id: str
    tenant_name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        tenant_id = self.tenant_id

        tenant_name = self.tenant_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "role": role,
                "tenant_id": tenant_id,
                "tenant_name": tenant_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = TenantRole(d.pop("role"))

        tenant_id = d.pop("tenant_id")

        tenant_name = d.pop("tenant_name")

        membership_view = cls(
            role=role,
            tenant_id=tenant_id,
            tenant_name=tenant_name,
        )

        membership_view.additional_properties = d
        return membership_view

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
