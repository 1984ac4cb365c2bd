from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.node_state import NodeState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.hardware_facts import HardwareFacts
    from ..models.health_condition import HealthCondition
    from ..models.placement import Placement


T = TypeVar("T", bound="NodeView")


@_attrs_define
class NodeView:
    """
    Attributes:
        assigned (bool): Assigned to an allocation (Allocation's fact, learned from its events).
        created_at (datetime.datetime):
        facts (HardwareFacts): A node's hardware, as discovered (by commissioning, or an operator's import).
        health (list[HealthCondition]):
        hostname (str):
        id (str): node id
        placement (Placement): Where a node sits inside its site; the fabric group (an NVLink or InfiniBand domain)
            decides
            which nodes can form one cluster.
        site (str):
        site_id (str): site id
        state (NodeState): A node's lifecycle: `onboarding → available ⇄ maintenance`, `quarantined`,
            `decommissioning → retired`. Whether it is assigned to a tenant is Allocation's fact.
        unmatched_reasons (list[str]): Why no SKU matched; empty when one did.
        updated_at (datetime.datetime):
        sku (None | str | Unset):
        sku_id (None | str | Unset):
    """

    assigned: bool
    created_at: datetime.datetime
    facts: HardwareFacts
    health: list[HealthCondition]
    hostname: str
    id: str
    placement: Placement
    site: str
    site_id: str
    state: NodeState
    unmatched_reasons: list[str]
    updated_at: datetime.datetime
    sku: None | str | Unset = UNSET
    sku_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assigned = self.assigned

        created_at = self.created_at.isoformat()

        facts = self.facts.to_dict()

        health = []
        for health_item_data in self.health:
            health_item = health_item_data.to_dict()
            health.append(health_item)

        hostname = self.hostname

        id = self.id

        placement = self.placement.to_dict()

        site = self.site

        site_id = self.site_id

        state = self.state.value

        unmatched_reasons = self.unmatched_reasons

        updated_at = self.updated_at.isoformat()

        sku: None | str | Unset
        if isinstance(self.sku, Unset):
            sku = UNSET
        else:
            sku = self.sku

        sku_id: None | str | Unset
        if isinstance(self.sku_id, Unset):
            sku_id = UNSET
        else:
            sku_id = self.sku_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assigned": assigned,
                "created_at": created_at,
                "facts": facts,
                "health": health,
                "hostname": hostname,
                "id": id,
                "placement": placement,
                "site": site,
                "site_id": site_id,
                "state": state,
                "unmatched_reasons": unmatched_reasons,
                "updated_at": updated_at,
            }
        )
        if sku is not UNSET:
            field_dict["sku"] = sku
        if sku_id is not UNSET:
            field_dict["sku_id"] = sku_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.hardware_facts import HardwareFacts  # noqa: PLC0415
        from ..models.health_condition import HealthCondition  # noqa: PLC0415
        from ..models.placement import Placement  # noqa: PLC0415

        d = dict(src_dict)
        assigned = d.pop("assigned")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        facts = HardwareFacts.from_dict(d.pop("facts"))

        health = []
        _health = d.pop("health")
        for health_item_data in _health:
            health_item = HealthCondition.from_dict(health_item_data)

            health.append(health_item)

        hostname = d.pop("hostname")

        id = d.pop("id")

        placement = Placement.from_dict(d.pop("placement"))

        site = d.pop("site")

        site_id = d.pop("site_id")

        state = NodeState(d.pop("state"))

        unmatched_reasons = cast(list[str], d.pop("unmatched_reasons"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_sku(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku = _parse_sku(d.pop("sku", UNSET))

        def _parse_sku_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku_id = _parse_sku_id(d.pop("sku_id", UNSET))

        node_view = cls(
            assigned=assigned,
            created_at=created_at,
            facts=facts,
            health=health,
            hostname=hostname,
            id=id,
            placement=placement,
            site=site,
            site_id=site_id,
            state=state,
            unmatched_reasons=unmatched_reasons,
            updated_at=updated_at,
            sku=sku,
            sku_id=sku_id,
        )

        node_view.additional_properties = d
        return node_view

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
