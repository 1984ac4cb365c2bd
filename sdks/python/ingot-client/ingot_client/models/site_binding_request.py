from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.site_policy import SitePolicy


T = TypeVar("T", bound="SiteBindingRequest")


@_attrs_define
class SiteBindingRequest:
    """`PUT /v1/admin/sites/{site}/maas`. Its `Debug` never shows the key.

    Attributes:
        url (str): The region's base URL, such as `http://maas.fra1.example:5240/MAAS`.
        api_key (None | str | Unset): `consumer:token:secret`; required the first time, kept when omitted later. Stored
            encrypted, never returned or logged.
        policy (SitePolicy | Unset): What the site lets the control plane do with its machines.
    """

    url: str
    api_key: None | str | Unset = UNSET
    policy: SitePolicy | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        api_key: None | str | Unset
        if isinstance(self.api_key, Unset):
            api_key = UNSET
        else:
            api_key = self.api_key

        policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.policy, Unset):
            policy = self.policy.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if policy is not UNSET:
            field_dict["policy"] = policy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.site_policy import SitePolicy  # noqa: PLC0415

        d = dict(src_dict)
        url = d.pop("url")

        def _parse_api_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key = _parse_api_key(d.pop("api_key", UNSET))

        _policy = d.pop("policy", UNSET)
        policy: SitePolicy | Unset
        if isinstance(_policy, Unset):
            policy = UNSET
        else:
            policy = SitePolicy.from_dict(_policy)

        site_binding_request = cls(
            url=url,
            api_key=api_key,
            policy=policy,
        )

        return site_binding_request
