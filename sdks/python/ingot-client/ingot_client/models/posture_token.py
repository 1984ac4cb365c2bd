from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tenant_role import TenantRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="PostureToken")


@_attrs_define
class PostureToken:
    """
    Attributes:
        age_days (int):
        expires_at (datetime.datetime):
        id (str): api token id
        name (str):
        role (TenantRole): Roles within a tenant. Owner > Admin > Member > Viewer; Billing sees money, not machines.
        user_id (str): user id
        last_used_at (datetime.datetime | None | Unset):
    """

    age_days: int
    expires_at: datetime.datetime
    id: str
    name: str
    role: TenantRole
    user_id: str
    last_used_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        age_days = self.age_days

        expires_at = self.expires_at.isoformat()

        id = self.id

        name = self.name

        role = self.role.value

        user_id = self.user_id

        last_used_at: None | str | Unset
        if isinstance(self.last_used_at, Unset):
            last_used_at = UNSET
        elif isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "age_days": age_days,
                "expires_at": expires_at,
                "id": id,
                "name": name,
                "role": role,
                "user_id": user_id,
            }
        )
        if last_used_at is not UNSET:
            field_dict["last_used_at"] = last_used_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        age_days = d.pop("age_days")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        id = d.pop("id")

        name = d.pop("name")

        role = TenantRole(d.pop("role"))

        user_id = d.pop("user_id")

        def _parse_last_used_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_1 = datetime.datetime.fromisoformat(data)

                return last_used_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at", UNSET))

        posture_token = cls(
            age_days=age_days,
            expires_at=expires_at,
            id=id,
            name=name,
            role=role,
            user_id=user_id,
            last_used_at=last_used_at,
        )

        posture_token.additional_properties = d
        return posture_token

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
