from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.device_grant_state import DeviceGrantState
from ..types import UNSET, Unset

T = TypeVar("T", bound="DeviceGrantView")


@_attrs_define
class DeviceGrantView:
    """A device's request as the person asked to approve it sees it.

    Attributes:
        client_name (str):
        expires_at (datetime.datetime):
        requested_at (datetime.datetime):
        state (DeviceGrantState):
        user_code (str):
        requested_from (None | str | Unset): The address the request came from.
    """

    client_name: str
    expires_at: datetime.datetime
    requested_at: datetime.datetime
    state: DeviceGrantState
    user_code: str
    requested_from: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_name = self.client_name

        expires_at = self.expires_at.isoformat()

        requested_at = self.requested_at.isoformat()

        state = self.state.value

        user_code = self.user_code

        requested_from: None | str | Unset
        if isinstance(self.requested_from, Unset):
            requested_from = UNSET
        else:
            requested_from = self.requested_from

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_name": client_name,
                "expires_at": expires_at,
                "requested_at": requested_at,
                "state": state,
                "user_code": user_code,
            }
        )
        if requested_from is not UNSET:
            field_dict["requested_from"] = requested_from

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_name = d.pop("client_name")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        requested_at = datetime.datetime.fromisoformat(d.pop("requested_at"))

        state = DeviceGrantState(d.pop("state"))

        user_code = d.pop("user_code")

        def _parse_requested_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        requested_from = _parse_requested_from(d.pop("requested_from", UNSET))

        device_grant_view = cls(
            client_name=client_name,
            expires_at=expires_at,
            requested_at=requested_at,
            state=state,
            user_code=user_code,
            requested_from=requested_from,
        )

        device_grant_view.additional_properties = d
        return device_grant_view

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
