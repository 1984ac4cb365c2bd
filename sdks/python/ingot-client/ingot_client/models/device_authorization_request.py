from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DeviceAuthorizationRequest")


@_attrs_define
class DeviceAuthorizationRequest:
    """`POST /v1/auth/device`: a device (the CLI) asks to be approved by a signed-in person (the
    OAuth 2.0 device authorization grant, RFC 8628).

        Attributes:
            client_name (None | str | Unset): What the approving person is shown, such as "ingot CLI on laptop" (1 to 100
                characters).
    """

    client_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        client_name: None | str | Unset
        if isinstance(self.client_name, Unset):
            client_name = UNSET
        else:
            client_name = self.client_name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if client_name is not UNSET:
            field_dict["client_name"] = client_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_client_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_name = _parse_client_name(d.pop("client_name", UNSET))

        device_authorization_request = cls(
            client_name=client_name,
        )

        return device_authorization_request
