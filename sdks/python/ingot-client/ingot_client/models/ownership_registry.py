from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.approval_rule import ApprovalRule
    from ..models.context_ownership import ContextOwnership
    from ..models.escalation_policy import EscalationPolicy
    from ..models.owner_role import OwnerRole
    from ..models.ownership_registry_on_call import OwnershipRegistryOnCall
    from ..models.projection_ownership import ProjectionOwnership


T = TypeVar("T", bound="OwnershipRegistry")


@_attrs_define
class OwnershipRegistry:
    """OWNERS.toml, parsed: the ownership matrix and approval rules as data.

    Attributes:
        approval_rules (list[ApprovalRule]):
        contexts (list[ContextOwnership]):
        escalation (EscalationPolicy): How pages escalate.
        roles (list[OwnerRole]):
        on_call (OwnershipRegistryOnCall | Unset): Who is on call for each role (names only; contacts stay in the on-
            call file), from the
            configured on-call file (not written in OWNERS.toml).
        projections (list[ProjectionOwnership] | Unset): The dashboards' projections with their source-owning domains
            and BFF owner, as the
            Read Models code declares them (not written in OWNERS.toml).
    """

    approval_rules: list[ApprovalRule]
    contexts: list[ContextOwnership]
    escalation: EscalationPolicy
    roles: list[OwnerRole]
    on_call: OwnershipRegistryOnCall | Unset = UNSET
    projections: list[ProjectionOwnership] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        approval_rules = []
        for approval_rules_item_data in self.approval_rules:
            approval_rules_item = approval_rules_item_data.to_dict()
            approval_rules.append(approval_rules_item)

        contexts = []
        for contexts_item_data in self.contexts:
            contexts_item = contexts_item_data.to_dict()
            contexts.append(contexts_item)

        escalation = self.escalation.to_dict()

        roles = []
        for roles_item_data in self.roles:
            roles_item = roles_item_data.to_dict()
            roles.append(roles_item)

        on_call: dict[str, Any] | Unset = UNSET
        if not isinstance(self.on_call, Unset):
            on_call = self.on_call.to_dict()

        projections: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.projections, Unset):
            projections = []
            for projections_item_data in self.projections:
                projections_item = projections_item_data.to_dict()
                projections.append(projections_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "approval_rules": approval_rules,
                "contexts": contexts,
                "escalation": escalation,
                "roles": roles,
            }
        )
        if on_call is not UNSET:
            field_dict["on_call"] = on_call
        if projections is not UNSET:
            field_dict["projections"] = projections

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_rule import ApprovalRule  # noqa: PLC0415
        from ..models.context_ownership import ContextOwnership  # noqa: PLC0415
        from ..models.escalation_policy import EscalationPolicy  # noqa: PLC0415
        from ..models.owner_role import OwnerRole  # noqa: PLC0415
        from ..models.ownership_registry_on_call import OwnershipRegistryOnCall  # noqa: PLC0415
        from ..models.projection_ownership import ProjectionOwnership  # noqa: PLC0415

        d = dict(src_dict)
        approval_rules = []
        _approval_rules = d.pop("approval_rules")
        for approval_rules_item_data in _approval_rules:
            approval_rules_item = ApprovalRule.from_dict(approval_rules_item_data)

            approval_rules.append(approval_rules_item)

        contexts = []
        _contexts = d.pop("contexts")
        for contexts_item_data in _contexts:
            contexts_item = ContextOwnership.from_dict(contexts_item_data)

            contexts.append(contexts_item)

        escalation = EscalationPolicy.from_dict(d.pop("escalation"))

        roles = []
        _roles = d.pop("roles")
        for roles_item_data in _roles:
            roles_item = OwnerRole.from_dict(roles_item_data)

            roles.append(roles_item)

        _on_call = d.pop("on_call", UNSET)
        on_call: OwnershipRegistryOnCall | Unset
        if isinstance(_on_call, Unset):
            on_call = UNSET
        else:
            on_call = OwnershipRegistryOnCall.from_dict(_on_call)

        _projections = d.pop("projections", UNSET)
        projections: list[ProjectionOwnership] | Unset = UNSET
        if _projections is not UNSET:
            projections = []
            for projections_item_data in _projections:
                projections_item = ProjectionOwnership.from_dict(projections_item_data)

                projections.append(projections_item)

        ownership_registry = cls(
            approval_rules=approval_rules,
            contexts=contexts,
            escalation=escalation,
            roles=roles,
            on_call=on_call,
            projections=projections,
        )

        return ownership_registry
