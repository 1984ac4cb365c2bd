from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.platform_role import PlatformRole

T = TypeVar("T", bound="PlatformRolesRequest")


@_attrs_define
class PlatformRolesRequest:
    """`PUT /v1/admin/users/{user_id}/platform-roles` (platform admins): the complete set.

    Attributes:
        platform_roles (list[PlatformRole]):
    """

    platform_roles: list[PlatformRole]

    def to_dict(self) -> dict[str, Any]:
        platform_roles = []
        for platform_roles_item_data in self.platform_roles:
            platform_roles_item = platform_roles_item_data.value
            platform_roles.append(platform_roles_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "platform_roles": platform_roles,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        platform_roles = []
        _platform_roles = d.pop("platform_roles")
        for platform_roles_item_data in _platform_roles:
            platform_roles_item = PlatformRole(platform_roles_item_data)

            platform_roles.append(platform_roles_item)

        platform_roles_request = cls(
            platform_roles=platform_roles,
        )

        return platform_roles_request
