from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.allocation_state import AllocationState

T = TypeVar("T", bound="OverviewAllocation")


@_attrs_define
class OverviewAllocation:
    """
    Attributes:
        allocation_id (str): allocation id
        node_count (int):
        nodes_active (int):
        project_id (str): project id
        since (datetime.datetime):
        site (str):
        sku (str):
        state (AllocationState): An allocation's state, read off its nodes': `pending → provisioning → active →
            releasing →
            released`, or `failed` with a reason.
    """

    allocation_id: str
    node_count: int
    nodes_active: int
    project_id: str
    since: datetime.datetime
    site: str
    sku: str
    state: AllocationState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allocation_id = self.allocation_id

        node_count = self.node_count

        nodes_active = self.nodes_active

        project_id = self.project_id

        since = self.since.isoformat()

        site = self.site

        sku = self.sku

        state = self.state.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allocation_id": allocation_id,
                "node_count": node_count,
                "nodes_active": nodes_active,
                "project_id": project_id,
                "since": since,
                "site": site,
                "sku": sku,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allocation_id = d.pop("allocation_id")

        node_count = d.pop("node_count")

        nodes_active = d.pop("nodes_active")

        project_id = d.pop("project_id")

        since = datetime.datetime.fromisoformat(d.pop("since"))

        site = d.pop("site")

        sku = d.pop("sku")

        state = AllocationState(d.pop("state"))

        overview_allocation = cls(
            allocation_id=allocation_id,
            node_count=node_count,
            nodes_active=nodes_active,
            project_id=project_id,
            since=since,
            site=site,
            sku=sku,
            state=state,
        )

        overview_allocation.additional_properties = d
        return overview_allocation

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
