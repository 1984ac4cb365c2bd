from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tenant_role import TenantRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="TokenCreateRequest")


@_attrs_define
class TokenCreateRequest:
    """`POST /v1/tokens`.

    Attributes:
        name (str):
        role (TenantRole): Roles within a tenant. Owner > Admin > Member > Viewer; Billing sees money, not machines.
        tenant_id (str): tenant id
        expires_in_days (int | None | Unset): Days until expiry, 1–365 (default 90).
        project_id (None | str | Unset):
    """

    name: str
    role: TenantRole
    tenant_id: str
    expires_in_days: int | None | Unset = UNSET
    project_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        role = self.role.value

        tenant_id = self.tenant_id

        expires_in_days: int | None | Unset
        if isinstance(self.expires_in_days, Unset):
            expires_in_days = UNSET
        else:
            expires_in_days = self.expires_in_days

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "role": role,
                "tenant_id": tenant_id,
            }
        )
        if expires_in_days is not UNSET:
            field_dict["expires_in_days"] = expires_in_days
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        role = TenantRole(d.pop("role"))

        tenant_id = d.pop("tenant_id")

        def _parse_expires_in_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_in_days = _parse_expires_in_days(d.pop("expires_in_days", UNSET))

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        token_create_request = cls(
            name=name,
            role=role,
            tenant_id=tenant_id,
            expires_in_days=expires_in_days,
            project_id=project_id,
        )

        return token_create_request
