from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DeviceTokenRequest")


@_attrs_define
class DeviceTokenRequest:
    """`POST /v1/auth/device/token`: a poll. Answers the session once the person approved; until
    then a problem whose `code` is RFC 8628's error (`authorization_pending`, `slow_down`,
    `access_denied`, `expired_token`).

        Attributes:
            device_code (str):
            grant_type (str): `urn:ietf:params:oauth:grant-type:device_code`
    """

    device_code: str
    grant_type: str

    def to_dict(self) -> dict[str, Any]:
        device_code = self.device_code

        grant_type = self.grant_type

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "device_code": device_code,
                "grant_type": grant_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        device_code = d.pop("device_code")

        grant_type = d.pop("grant_type")

        device_token_request = cls(
            device_code=device_code,
            grant_type=grant_type,
        )

        return device_token_request
