from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.platform_role import PlatformRole

T = TypeVar("T", bound="UserView")


@_attrs_define
class UserView:
    """
    Attributes:
        created_at (datetime.datetime):
        display_name (str):
        email (str):
        id (str): user id
        mfa_enabled (bool):
        platform_roles (list[PlatformRole]):
    """

    created_at: datetime.datetime
    display_name: str
    email: str
    id: str
    mfa_enabled: bool
    platform_roles: list[PlatformRole]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        display_name = self.display_name

        email = self.email

        id = self.id

        mfa_enabled = self.mfa_enabled

        platform_roles = []
        for platform_roles_item_data in self.platform_roles:
            platform_roles_item = platform_roles_item_data.value
            platform_roles.append(platform_roles_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "display_name": display_name,
                "email": email,
                "id": id,
                "mfa_enabled": mfa_enabled,
                "platform_roles": platform_roles,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        display_name = d.pop("display_name")

        email = d.pop("email")

        id = d.pop("id")

        mfa_enabled = d.pop("mfa_enabled")

        platform_roles = []
        _platform_roles = d.pop("platform_roles")
        for platform_roles_item_data in _platform_roles:
            platform_roles_item = PlatformRole(platform_roles_item_data)

            platform_roles.append(platform_roles_item)

        user_view = cls(
            created_at=created_at,
            display_name=display_name,
            email=email,
            id=id,
            mfa_enabled=mfa_enabled,
            platform_roles=platform_roles,
        )

        user_view.additional_properties = d
        return user_view

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
