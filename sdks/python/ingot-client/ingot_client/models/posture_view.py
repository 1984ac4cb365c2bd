from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kyc_level import KycLevel
from ..models.kyc_state import KycState

if TYPE_CHECKING:
    from ..models.posture_token import PostureToken


T = TypeVar("T", bound="PostureView")


@_attrs_define
class PostureView:
    """`GET /v1/tenants/{tenant_id}/posture`: what a security review of the tenant looks at first.

    Attributes:
        failed_logins_24h (int): Failed logins on member accounts in the last 24 hours.
        kyc_level (KycLevel): How much a verified tenant is trusted with; `none` unless verified.
        kyc_state (KycState): Where a tenant's verification stands.
        members (int):
        members_with_mfa (int):
        require_mfa (bool):
        tenant_id (str): tenant id
        tokens (list[PostureToken]): Live API tokens of the tenant, oldest first.
        tokens_expiring_soon (int): Live tokens that expire within seven days.
    """

    failed_logins_24h: int
    kyc_level: KycLevel
    kyc_state: KycState
    members: int
    members_with_mfa: int
    require_mfa: bool
    tenant_id: str
    tokens: list[PostureToken]
    tokens_expiring_soon: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failed_logins_24h = self.failed_logins_24h

        kyc_level = self.kyc_level.value

        kyc_state = self.kyc_state.value

        members = self.members

        members_with_mfa = self.members_with_mfa

        require_mfa = self.require_mfa

        tenant_id = self.tenant_id

        tokens = []
        for tokens_item_data in self.tokens:
            tokens_item = tokens_item_data.to_dict()
            tokens.append(tokens_item)

        tokens_expiring_soon = self.tokens_expiring_soon

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failed_logins_24h": failed_logins_24h,
                "kyc_level": kyc_level,
                "kyc_state": kyc_state,
                "members": members,
                "members_with_mfa": members_with_mfa,
                "require_mfa": require_mfa,
                "tenant_id": tenant_id,
                "tokens": tokens,
                "tokens_expiring_soon": tokens_expiring_soon,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.posture_token import PostureToken  # noqa: PLC0415

        d = dict(src_dict)
        failed_logins_24h = d.pop("failed_logins_24h")

        kyc_level = KycLevel(d.pop("kyc_level"))

        kyc_state = KycState(d.pop("kyc_state"))

        members = d.pop("members")

        members_with_mfa = d.pop("members_with_mfa")

        require_mfa = d.pop("require_mfa")

        tenant_id = d.pop("tenant_id")

        tokens = []
        _tokens = d.pop("tokens")
        for tokens_item_data in _tokens:
            tokens_item = PostureToken.from_dict(tokens_item_data)

            tokens.append(tokens_item)

        tokens_expiring_soon = d.pop("tokens_expiring_soon")

        posture_view = cls(
            failed_logins_24h=failed_logins_24h,
            kyc_level=kyc_level,
            kyc_state=kyc_state,
            members=members,
            members_with_mfa=members_with_mfa,
            require_mfa=require_mfa,
            tenant_id=tenant_id,
            tokens=tokens,
            tokens_expiring_soon=tokens_expiring_soon,
        )

        posture_view.additional_properties = d
        return posture_view

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
