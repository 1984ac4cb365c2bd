from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DriftView")


@_attrs_define
class DriftView:
    """One disagreement between a site's region and what the control plane expects, as kept in
    the site's drift history.

        Attributes:
            detail (str):
            found_at (datetime.datetime):
            found_by_pass (str): The reconciliation pass that found it.
            id (str):
            kind (str): `deployed_without_allocation`, `allocation_machine_lost`, `power_drift`,
                `unknown_machine`, `stuck_transitional`.
            last_seen_at (datetime.datetime):
            machine_ref (str): The machine's identifier in the provisioning system.
            repair (str): `observe_again`, `report`, `release`, `power_on`, `abort`.
            site_id (str): site id
            tenant_cost (bool): Whether a tenant was paying for a machine it could not use.
            node_id (None | str | Unset):
            repaired_at (datetime.datetime | None | Unset):
            resolved_at (datetime.datetime | None | Unset):
    """

    detail: str
    found_at: datetime.datetime
    found_by_pass: str
    id: str
    kind: str
    last_seen_at: datetime.datetime
    machine_ref: str
    repair: str
    site_id: str
    tenant_cost: bool
    node_id: None | str | Unset = UNSET
    repaired_at: datetime.datetime | None | Unset = UNSET
    resolved_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        found_at = self.found_at.isoformat()

        found_by_pass = self.found_by_pass

        id = self.id

        kind = self.kind

        last_seen_at = self.last_seen_at.isoformat()

        machine_ref = self.machine_ref

        repair = self.repair

        site_id = self.site_id

        tenant_cost = self.tenant_cost

        node_id: None | str | Unset
        if isinstance(self.node_id, Unset):
            node_id = UNSET
        else:
            node_id = self.node_id

        repaired_at: None | str | Unset
        if isinstance(self.repaired_at, Unset):
            repaired_at = UNSET
        elif isinstance(self.repaired_at, datetime.datetime):
            repaired_at = self.repaired_at.isoformat()
        else:
            repaired_at = self.repaired_at

        resolved_at: None | str | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        elif isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "found_at": found_at,
                "found_by_pass": found_by_pass,
                "id": id,
                "kind": kind,
                "last_seen_at": last_seen_at,
                "machine_ref": machine_ref,
                "repair": repair,
                "site_id": site_id,
                "tenant_cost": tenant_cost,
            }
        )
        if node_id is not UNSET:
            field_dict["node_id"] = node_id
        if repaired_at is not UNSET:
            field_dict["repaired_at"] = repaired_at
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        detail = d.pop("detail")

        found_at = datetime.datetime.fromisoformat(d.pop("found_at"))

        found_by_pass = d.pop("found_by_pass")

        id = d.pop("id")

        kind = d.pop("kind")

        last_seen_at = datetime.datetime.fromisoformat(d.pop("last_seen_at"))

        machine_ref = d.pop("machine_ref")

        repair = d.pop("repair")

        site_id = d.pop("site_id")

        tenant_cost = d.pop("tenant_cost")

        def _parse_node_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        node_id = _parse_node_id(d.pop("node_id", UNSET))

        def _parse_repaired_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                repaired_at_type_1 = datetime.datetime.fromisoformat(data)

                return repaired_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        repaired_at = _parse_repaired_at(d.pop("repaired_at", UNSET))

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

        drift_view = cls(
            detail=detail,
            found_at=found_at,
            found_by_pass=found_by_pass,
            id=id,
            kind=kind,
            last_seen_at=last_seen_at,
            machine_ref=machine_ref,
            repair=repair,
            site_id=site_id,
            tenant_cost=tenant_cost,
            node_id=node_id,
            repaired_at=repaired_at,
            resolved_at=resolved_at,
        )

        drift_view.additional_properties = d
        return drift_view

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
