from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.node_phase import NodePhase
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.handover import Handover


T = TypeVar("T", bound="AllocationNodeView")


@_attrs_define
class AllocationNodeView:
    """One node of an allocation, as its tenant sees it.

    Attributes:
        assigned_at (datetime.datetime):
        handover (Handover): What the tenant is told about the node it was handed.
        hostname (str):
        ip_addresses (list[str]):
        node_id (str): node id
        state (NodePhase): One node of an allocation.
        reason (None | str | Unset): Why it failed, when it did.
        ssh_command (None | str | Unset): Ready to paste, once the node is active.
    """

    assigned_at: datetime.datetime
    handover: Handover
    hostname: str
    ip_addresses: list[str]
    node_id: str
    state: NodePhase
    reason: None | str | Unset = UNSET
    ssh_command: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assigned_at = self.assigned_at.isoformat()

        handover = self.handover.to_dict()

        hostname = self.hostname

        ip_addresses = self.ip_addresses

        node_id = self.node_id

        state = self.state.value

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        ssh_command: None | str | Unset
        if isinstance(self.ssh_command, Unset):
            ssh_command = UNSET
        else:
            ssh_command = self.ssh_command

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assigned_at": assigned_at,
                "handover": handover,
                "hostname": hostname,
                "ip_addresses": ip_addresses,
                "node_id": node_id,
                "state": state,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if ssh_command is not UNSET:
            field_dict["ssh_command"] = ssh_command

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.handover import Handover  # noqa: PLC0415

        d = dict(src_dict)
        assigned_at = datetime.datetime.fromisoformat(d.pop("assigned_at"))

        handover = Handover.from_dict(d.pop("handover"))

        hostname = d.pop("hostname")

        ip_addresses = cast(list[str], d.pop("ip_addresses"))

        node_id = d.pop("node_id")

        state = NodePhase(d.pop("state"))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_ssh_command(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ssh_command = _parse_ssh_command(d.pop("ssh_command", UNSET))

        allocation_node_view = cls(
            assigned_at=assigned_at,
            handover=handover,
            hostname=hostname,
            ip_addresses=ip_addresses,
            node_id=node_id,
            state=state,
            reason=reason,
            ssh_command=ssh_command,
        )

        allocation_node_view.additional_properties = d
        return allocation_node_view

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
