from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cluster_state import ClusterState

if TYPE_CHECKING:
    from ..models.cluster_node_view import ClusterNodeView


T = TypeVar("T", bound="ClusterView")


@_attrs_define
class ClusterView:
    """
    Attributes:
        active (int): Nodes active of those live.
        created_at (datetime.datetime):
        id (str): cluster id
        name (str):
        nodes (list[ClusterNodeView]): Live nodes, the head first.
        project_id (str): project id
        sku (str):
        state (ClusterState): A cluster's state, from its nodes'.
        template (str):
        worker_sku (str):
        workers (int):
    """

    active: int
    created_at: datetime.datetime
    id: str
    name: str
    nodes: list[ClusterNodeView]
    project_id: str
    sku: str
    state: ClusterState
    template: str
    worker_sku: str
    workers: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        created_at = self.created_at.isoformat()

        id = self.id

        name = self.name

        nodes = []
        for nodes_item_data in self.nodes:
            nodes_item = nodes_item_data.to_dict()
            nodes.append(nodes_item)

        project_id = self.project_id

        sku = self.sku

        state = self.state.value

        template = self.template

        worker_sku = self.worker_sku

        workers = self.workers

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "created_at": created_at,
                "id": id,
                "name": name,
                "nodes": nodes,
                "project_id": project_id,
                "sku": sku,
                "state": state,
                "template": template,
                "worker_sku": worker_sku,
                "workers": workers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cluster_node_view import ClusterNodeView  # noqa: PLC0415

        d = dict(src_dict)
        active = d.pop("active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        name = d.pop("name")

        nodes = []
        _nodes = d.pop("nodes")
        for nodes_item_data in _nodes:
            nodes_item = ClusterNodeView.from_dict(nodes_item_data)

            nodes.append(nodes_item)

        project_id = d.pop("project_id")

        sku = d.pop("sku")

        state = ClusterState(d.pop("state"))

        template = d.pop("template")

        worker_sku = d.pop("worker_sku")

        workers = d.pop("workers")

        cluster_view = cls(
            active=active,
            created_at=created_at,
            id=id,
            name=name,
            nodes=nodes,
            project_id=project_id,
            sku=sku,
            state=state,
            template=template,
            worker_sku=worker_sku,
            workers=workers,
        )

        cluster_view.additional_properties = d
        return cluster_view

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
