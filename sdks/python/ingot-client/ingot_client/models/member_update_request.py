from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.tenant_role import TenantRole

T = TypeVar("T", bound="MemberUpdateRequest")


@_attrs_define
class MemberUpdateRequest:
    """
    Attributes:
        role (TenantRole): Roles within a tenant. Owner > Admin > Member > Viewer; Billing sees money, not machines.
    """

    role: TenantRole

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = TenantRole(d.pop("role"))

        member_update_request = cls(
            role=role,
        )

        return member_update_request
