from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.site_policy import SitePolicy


T = TypeVar("T", bound="SiteBindingView")


@_attrs_define
class SiteBindingView:
    """A site's binding as served: never the key itself.

    Attributes:
        api_key_id (str): The key's first part, to tell keys apart; the secret parts are never shown.
        policy (SitePolicy): What the site lets the control plane do with its machines.
        site (str):
        site_id (str): site id
        updated_at (datetime.datetime):
        url (str):
    """

    api_key_id: str
    policy: SitePolicy
    site: str
    site_id: str
    updated_at: datetime.datetime
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        api_key_id = self.api_key_id

        policy = self.policy.to_dict()

        site = self.site

        site_id = self.site_id

        updated_at = self.updated_at.isoformat()

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "api_key_id": api_key_id,
                "policy": policy,
                "site": site,
                "site_id": site_id,
                "updated_at": updated_at,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.site_policy import SitePolicy  # noqa: PLC0415

        d = dict(src_dict)
        api_key_id = d.pop("api_key_id")

        policy = SitePolicy.from_dict(d.pop("policy"))

        site = d.pop("site")

        site_id = d.pop("site_id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        site_binding_view = cls(
            api_key_id=api_key_id,
            policy=policy,
            site=site,
            site_id=site_id,
            updated_at=updated_at,
            url=url,
        )

        site_binding_view.additional_properties = d
        return site_binding_view

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
