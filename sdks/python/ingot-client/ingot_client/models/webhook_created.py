from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.webhook_view import WebhookView


T = TypeVar("T", bound="WebhookCreated")


@_attrs_define
class WebhookCreated:
    """A new webhook and its signing secret, shown this once.

    Attributes:
        secret (str): `whsec_…`: the HMAC-SHA256 key of the `Ingot-Signature` header. Kept sealed; never shown
            again.
        webhook (WebhookView): A project's subscription of a URL to event types.
    """

    secret: str
    webhook: WebhookView
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        secret = self.secret

        webhook = self.webhook.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "secret": secret,
                "webhook": webhook,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_view import WebhookView  # noqa: PLC0415

        d = dict(src_dict)
        secret = d.pop("secret")

        webhook = WebhookView.from_dict(d.pop("webhook"))

        webhook_created = cls(
            secret=secret,
            webhook=webhook,
        )

        webhook_created.additional_properties = d
        return webhook_created

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
