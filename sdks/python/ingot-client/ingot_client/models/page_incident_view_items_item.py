from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.incident_state import IncidentState
from ..models.severity import Severity
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.timeline_entry import TimelineEntry


T = TypeVar("T", bound="PageIncidentViewItemsItem")


@_attrs_define
class PageIncidentViewItemsItem:
    """An incident: one rule firing about one subject, from its first firing until resolved.

    Attributes:
        context (str): The bounded context that owns the rule (OWNERS.toml's name).
        firing (bool): Whether the condition still held at the latest evaluation.
        id (str): incident id
        last_fired_at (datetime.datetime):
        opened_at (datetime.datetime):
        rule (str): The alert rule: `maas_site_unreachable`.
        runbook (str): Where the owning context's runbook explains this alert: `docs/runbooks/maas.md#site-unreachable`.
        severity (Severity): `SEV-1` pages the context's primary and secondary at once; `SEV-2` its primary.
        state (IncidentState): `open → acknowledged → resolved` (or `open → resolved`).
        subject (str):
        summary (str): The latest measurement's summary.
        title (str):
        acknowledged_at (datetime.datetime | None | Unset):
        acknowledged_by (None | str | Unset):
        escalated_at (datetime.datetime | None | Unset):
        node_id (None | str | Unset):
        paging_held (None | str | Unset): Why paging is held now (maintenance), if it is.
        resolved_at (datetime.datetime | None | Unset):
        resolved_by (None | str | Unset):
        site_id (None | str | Unset):
        timeline (list[TimelineEntry] | Unset): Oldest first. Empty in lists; whole on `GET
            /v1/admin/incidents/{incident_id}`.
    """

    context: str
    firing: bool
    id: str
    last_fired_at: datetime.datetime
    opened_at: datetime.datetime
    rule: str
    runbook: str
    severity: Severity
    state: IncidentState
    subject: str
    summary: str
    title: str
    acknowledged_at: datetime.datetime | None | Unset = UNSET
    acknowledged_by: None | str | Unset = UNSET
    escalated_at: datetime.datetime | None | Unset = UNSET
    node_id: None | str | Unset = UNSET
    paging_held: None | str | Unset = UNSET
    resolved_at: datetime.datetime | None | Unset = UNSET
    resolved_by: None | str | Unset = UNSET
    site_id: None | str | Unset = UNSET
    timeline: list[TimelineEntry] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        context = self.context

        firing = self.firing

        id = self.id

        last_fired_at = self.last_fired_at.isoformat()

        opened_at = self.opened_at.isoformat()

        rule = self.rule

        runbook = self.runbook

        severity = self.severity.value

        state = self.state.value

        subject = self.subject

        summary = self.summary

        title = self.title

        acknowledged_at: None | str | Unset
        if isinstance(self.acknowledged_at, Unset):
            acknowledged_at = UNSET
        elif isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        acknowledged_by: None | str | Unset
        if isinstance(self.acknowledged_by, Unset):
            acknowledged_by = UNSET
        else:
            acknowledged_by = self.acknowledged_by

        escalated_at: None | str | Unset
        if isinstance(self.escalated_at, Unset):
            escalated_at = UNSET
        elif isinstance(self.escalated_at, datetime.datetime):
            escalated_at = self.escalated_at.isoformat()
        else:
            escalated_at = self.escalated_at

        node_id: None | str | Unset
        if isinstance(self.node_id, Unset):
            node_id = UNSET
        else:
            node_id = self.node_id

        paging_held: None | str | Unset
        if isinstance(self.paging_held, Unset):
            paging_held = UNSET
        else:
            paging_held = self.paging_held

        resolved_at: None | str | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        elif isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        resolved_by: None | str | Unset
        if isinstance(self.resolved_by, Unset):
            resolved_by = UNSET
        else:
            resolved_by = self.resolved_by

        site_id: None | str | Unset
        if isinstance(self.site_id, Unset):
            site_id = UNSET
        else:
            site_id = self.site_id

        timeline: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.timeline, Unset):
            timeline = []
            for timeline_item_data in self.timeline:
                timeline_item = timeline_item_data.to_dict()
                timeline.append(timeline_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "context": context,
                "firing": firing,
                "id": id,
                "last_fired_at": last_fired_at,
                "opened_at": opened_at,
                "rule": rule,
                "runbook": runbook,
                "severity": severity,
                "state": state,
                "subject": subject,
                "summary": summary,
                "title": title,
            }
        )
        if acknowledged_at is not UNSET:
            field_dict["acknowledged_at"] = acknowledged_at
        if acknowledged_by is not UNSET:
            field_dict["acknowledged_by"] = acknowledged_by
        if escalated_at is not UNSET:
            field_dict["escalated_at"] = escalated_at
        if node_id is not UNSET:
            field_dict["node_id"] = node_id
        if paging_held is not UNSET:
            field_dict["paging_held"] = paging_held
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at
        if resolved_by is not UNSET:
            field_dict["resolved_by"] = resolved_by
        if site_id is not UNSET:
            field_dict["site_id"] = site_id
        if timeline is not UNSET:
            field_dict["timeline"] = timeline

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timeline_entry import TimelineEntry  # noqa: PLC0415

        d = dict(src_dict)
        context = d.pop("context")

        firing = d.pop("firing")

        id = d.pop("id")

        last_fired_at = datetime.datetime.fromisoformat(d.pop("last_fired_at"))

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        rule = d.pop("rule")

        runbook = d.pop("runbook")

        severity = Severity(d.pop("severity"))

        state = IncidentState(d.pop("state"))

        subject = d.pop("subject")

        summary = d.pop("summary")

        title = d.pop("title")

        def _parse_acknowledged_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_at_type_1 = datetime.datetime.fromisoformat(data)

                return acknowledged_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at", UNSET))

        def _parse_acknowledged_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        acknowledged_by = _parse_acknowledged_by(d.pop("acknowledged_by", UNSET))

        def _parse_escalated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                escalated_at_type_1 = datetime.datetime.fromisoformat(data)

                return escalated_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        escalated_at = _parse_escalated_at(d.pop("escalated_at", UNSET))

        def _parse_node_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        node_id = _parse_node_id(d.pop("node_id", UNSET))

        def _parse_paging_held(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        paging_held = _parse_paging_held(d.pop("paging_held", UNSET))

        def _parse_resolved_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_1 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at", UNSET))

        def _parse_resolved_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resolved_by = _parse_resolved_by(d.pop("resolved_by", UNSET))

        def _parse_site_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        site_id = _parse_site_id(d.pop("site_id", UNSET))

        _timeline = d.pop("timeline", UNSET)
        timeline: list[TimelineEntry] | Unset = UNSET
        if _timeline is not UNSET:
            timeline = []
            for timeline_item_data in _timeline:
                timeline_item = TimelineEntry.from_dict(timeline_item_data)

                timeline.append(timeline_item)

        page_incident_view_items_item = cls(
            context=context,
            firing=firing,
            id=id,
            last_fired_at=last_fired_at,
            opened_at=opened_at,
            rule=rule,
            runbook=runbook,
            severity=severity,
            state=state,
            subject=subject,
            summary=summary,
            title=title,
            acknowledged_at=acknowledged_at,
            acknowledged_by=acknowledged_by,
            escalated_at=escalated_at,
            node_id=node_id,
            paging_held=paging_held,
            resolved_at=resolved_at,
            resolved_by=resolved_by,
            site_id=site_id,
            timeline=timeline,
        )

        page_incident_view_items_item.additional_properties = d
        return page_incident_view_items_item

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
