from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookView")


@_attrs_define
class WebhookView:
    """A project's subscription of a URL to event types.

    Attributes:
        created_at (datetime.datetime):
        created_by (str): user id
        enabled (bool):
        events (list[str]): Event types (`node.active`), families (`allocation.*`) or `*`.
        id (str): webhook id
        project_id (str): project id
        updated_at (datetime.datetime):
        url (str):
        description (str | Unset):
    """

    created_at: datetime.datetime
    created_by: str
    enabled: bool
    events: list[str]
    id: str
    project_id: str
    updated_at: datetime.datetime
    url: str
    description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        created_by = self.created_by

        enabled = self.enabled

        events = self.events

        id = self.id

        project_id = self.project_id

        updated_at = self.updated_at.isoformat()

        url = self.url

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "enabled": enabled,
                "events": events,
                "id": id,
                "project_id": project_id,
                "updated_at": updated_at,
                "url": url,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        enabled = d.pop("enabled")

        events = cast(list[str], d.pop("events"))

        id = d.pop("id")

        project_id = d.pop("project_id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        description = d.pop("description", UNSET)

        webhook_view = cls(
            created_at=created_at,
            created_by=created_by,
            enabled=enabled,
            events=events,
            id=id,
            project_id=project_id,
            updated_at=updated_at,
            url=url,
            description=description,
        )

        webhook_view.additional_properties = d
        return webhook_view

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
