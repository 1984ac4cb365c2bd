from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.allocation_state import AllocationState
from ..types import UNSET, Unset

T = TypeVar("T", bound="ClusterNodeView")


@_attrs_define
class ClusterNodeView:
    """One node of a cluster.

    Attributes:
        allocation_id (str): allocation id
        index (int): 0 for the head, 1… for workers, never reused.
        ip_addresses (list[str]):
        role (str): `head` or `worker`.
        state (AllocationState): An allocation's state, read off its nodes': `pending → provisioning → active →
            releasing →
            released`, or `failed` with a reason.
        hostname (None | str | Unset):
        ssh_command (None | str | Unset):
    """

    allocation_id: str
    index: int
    ip_addresses: list[str]
    role: str
    state: AllocationState
    hostname: None | str | Unset = UNSET
    ssh_command: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allocation_id = self.allocation_id

        index = self.index

        ip_addresses = self.ip_addresses

        role = self.role

        state = self.state.value

        hostname: None | str | Unset
        if isinstance(self.hostname, Unset):
            hostname = UNSET
        else:
            hostname = self.hostname

        ssh_command: None | str | Unset
        if isinstance(self.ssh_command, Unset):
            ssh_command = UNSET
        else:
            ssh_command = self.ssh_command

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allocation_id": allocation_id,
                "index": index,
                "ip_addresses": ip_addresses,
                "role": role,
                "state": state,
            }
        )
        if hostname is not UNSET:
            field_dict["hostname"] = hostname
        if ssh_command is not UNSET:
            field_dict["ssh_command"] = ssh_command

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allocation_id = d.pop("allocation_id")

        index = d.pop("index")

        ip_addresses = cast(list[str], d.pop("ip_addresses"))

        role = d.pop("role")

        state = AllocationState(d.pop("state"))

        def _parse_hostname(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hostname = _parse_hostname(d.pop("hostname", UNSET))

        def _parse_ssh_command(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ssh_command = _parse_ssh_command(d.pop("ssh_command", UNSET))

        cluster_node_view = cls(
            allocation_id=allocation_id,
            index=index,
            ip_addresses=ip_addresses,
            role=role,
            state=state,
            hostname=hostname,
            ssh_command=ssh_command,
        )

        cluster_node_view.additional_properties = d
        return cluster_node_view

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
