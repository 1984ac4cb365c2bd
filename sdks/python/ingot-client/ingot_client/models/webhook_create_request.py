from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookCreateRequest")


@_attrs_define
class WebhookCreateRequest:
    """`POST /v1/projects/{project_id}/webhooks`.

    Attributes:
        events (list[str]): Event types (`node.active`), families (`allocation.*`) or `*`; see `GET /v1/webhook-events`.
        url (str): `https://…` (plain http and private addresses only in the test and embedded profiles).
        description (str | Unset):
    """

    events: list[str]
    url: str
    description: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        events = self.events

        url = self.url

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "events": events,
                "url": url,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        events = cast(list[str], d.pop("events"))

        url = d.pop("url")

        description = d.pop("description", UNSET)

        webhook_create_request = cls(
            events=events,
            url=url,
            description=description,
        )

        return webhook_create_request
