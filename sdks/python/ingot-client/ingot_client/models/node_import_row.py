from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.node_state import NodeState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.hardware_facts import HardwareFacts
    from ..models.placement import Placement


T = TypeVar("T", bound="NodeImportRow")


@_attrs_define
class NodeImportRow:
    """One node in `POST /v1/admin/nodes/import`, the canonical bulk-onboarding contract.

    Attributes:
        facts (HardwareFacts): A node's hardware, as discovered (by commissioning, or an operator's import).
        hostname (str):
        site (str): Site name.
        placement (Placement | Unset): Where a node sits inside its site; the fabric group (an NVLink or InfiniBand
            domain) decides
            which nodes can form one cluster.
        state (NodeState | None | Unset):
    """

    facts: HardwareFacts
    hostname: str
    site: str
    placement: Placement | Unset = UNSET
    state: NodeState | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        facts = self.facts.to_dict()

        hostname = self.hostname

        site = self.site

        placement: dict[str, Any] | Unset = UNSET
        if not isinstance(self.placement, Unset):
            placement = self.placement.to_dict()

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, NodeState):
            state = self.state.value
        else:
            state = self.state

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "facts": facts,
                "hostname": hostname,
                "site": site,
            }
        )
        if placement is not UNSET:
            field_dict["placement"] = placement
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.hardware_facts import HardwareFacts  # noqa: PLC0415
        from ..models.placement import Placement  # noqa: PLC0415

        d = dict(src_dict)
        facts = HardwareFacts.from_dict(d.pop("facts"))

        hostname = d.pop("hostname")

        site = d.pop("site")

        _placement = d.pop("placement", UNSET)
        placement: Placement | Unset
        if isinstance(_placement, Unset):
            placement = UNSET
        else:
            placement = Placement.from_dict(_placement)

        def _parse_state(data: object) -> NodeState | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_1 = NodeState(data)

                return state_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NodeState | None | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        node_import_row = cls(
            facts=facts,
            hostname=hostname,
            site=site,
            placement=placement,
            state=state,
        )

        return node_import_row
