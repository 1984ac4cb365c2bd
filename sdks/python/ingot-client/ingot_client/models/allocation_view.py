from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.allocation_state import AllocationState
from ..models.placement_policy import PlacementPolicy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.allocation_node_view import AllocationNodeView
    from ..models.money import Money
    from ..models.status_change import StatusChange


T = TypeVar("T", bound="AllocationView")


@_attrs_define
class AllocationView:
    """`GET /v1/allocations/{allocation_id}`.

    Attributes:
        count (int):
        created_at (datetime.datetime):
        history (list[StatusChange]):
        hourly_price (Money):
        id (str): allocation id
        image (str):
        nodes (list[AllocationNodeView]):
        placement (PlacementPolicy): How an allocation's nodes must sit relative to each other.
        project_id (str): project id
        replacements (int): Deploy failures replaced so far.
        site (str): Site name.
        sku (str): SKU name.
        state (AllocationState): An allocation's state, read off its nodes': `pending → provisioning → active →
            releasing →
            released`, or `failed` with a reason.
        tenant_id (str): tenant id
        updated_at (datetime.datetime):
        reason (None | str | Unset): Why it is ending, ended or failed.
        release_at (datetime.datetime | None | Unset):
    """

    count: int
    created_at: datetime.datetime
    history: list[StatusChange]
    hourly_price: Money
    id: str
    image: str
    nodes: list[AllocationNodeView]
    placement: PlacementPolicy
    project_id: str
    replacements: int
    site: str
    sku: str
    state: AllocationState
    tenant_id: str
    updated_at: datetime.datetime
    reason: None | str | Unset = UNSET
    release_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        created_at = self.created_at.isoformat()

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        hourly_price = self.hourly_price.to_dict()

        id = self.id

        image = self.image

        nodes = []
        for nodes_item_data in self.nodes:
            nodes_item = nodes_item_data.to_dict()
            nodes.append(nodes_item)

        placement = self.placement.value

        project_id = self.project_id

        replacements = self.replacements

        site = self.site

        sku = self.sku

        state = self.state.value

        tenant_id = self.tenant_id

        updated_at = self.updated_at.isoformat()

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        release_at: None | str | Unset
        if isinstance(self.release_at, Unset):
            release_at = UNSET
        elif isinstance(self.release_at, datetime.datetime):
            release_at = self.release_at.isoformat()
        else:
            release_at = self.release_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "created_at": created_at,
                "history": history,
                "hourly_price": hourly_price,
                "id": id,
                "image": image,
                "nodes": nodes,
                "placement": placement,
                "project_id": project_id,
                "replacements": replacements,
                "site": site,
                "sku": sku,
                "state": state,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if release_at is not UNSET:
            field_dict["release_at"] = release_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.allocation_node_view import AllocationNodeView  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415
        from ..models.status_change import StatusChange  # noqa: PLC0415

        d = dict(src_dict)
        count = d.pop("count")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = StatusChange.from_dict(history_item_data)

            history.append(history_item)

        hourly_price = Money.from_dict(d.pop("hourly_price"))

        id = d.pop("id")

        image = d.pop("image")

        nodes = []
        _nodes = d.pop("nodes")
        for nodes_item_data in _nodes:
            nodes_item = AllocationNodeView.from_dict(nodes_item_data)

            nodes.append(nodes_item)

        placement = PlacementPolicy(d.pop("placement"))

        project_id = d.pop("project_id")

        replacements = d.pop("replacements")

        site = d.pop("site")

        sku = d.pop("sku")

        state = AllocationState(d.pop("state"))

        tenant_id = d.pop("tenant_id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_release_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                release_at_type_1 = datetime.datetime.fromisoformat(data)

                return release_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        release_at = _parse_release_at(d.pop("release_at", UNSET))

        allocation_view = cls(
            count=count,
            created_at=created_at,
            history=history,
            hourly_price=hourly_price,
            id=id,
            image=image,
            nodes=nodes,
            placement=placement,
            project_id=project_id,
            replacements=replacements,
            site=site,
            sku=sku,
            state=state,
            tenant_id=tenant_id,
            updated_at=updated_at,
            reason=reason,
            release_at=release_at,
        )

        allocation_view.additional_properties = d
        return allocation_view

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
