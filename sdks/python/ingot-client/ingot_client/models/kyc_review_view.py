from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kyc_level import KycLevel
from ..models.kyc_state import KycState
from ..types import UNSET, Unset

T = TypeVar("T", bound="KycReviewView")


@_attrs_define
class KycReviewView:
    """A tenant's verification as reviewers see it in their queue: the tenant's name beside it.

    Attributes:
        level (KycLevel): How much a verified tenant is trusted with; `none` unless verified.
        personal_data_on_file (bool): Whether submitted personal data is still held (it can be redacted on request).
        state (KycState): Where a tenant's verification stands.
        tenant_id (str): tenant id
        tenant_name (str):
        decided_at (datetime.datetime | None | Unset):
        provider (None | str | Unset):
        provider_ref (None | str | Unset):
        reason (None | str | Unset): The reviewer's reason for the last decision.
        submitted_at (datetime.datetime | None | Unset):
    """

    level: KycLevel
    personal_data_on_file: bool
    state: KycState
    tenant_id: str
    tenant_name: str
    decided_at: datetime.datetime | None | Unset = UNSET
    provider: None | str | Unset = UNSET
    provider_ref: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    submitted_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        level = self.level.value

        personal_data_on_file = self.personal_data_on_file

        state = self.state.value

        tenant_id = self.tenant_id

        tenant_name = self.tenant_name

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        elif isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        provider: None | str | Unset
        if isinstance(self.provider, Unset):
            provider = UNSET
        else:
            provider = self.provider

        provider_ref: None | str | Unset
        if isinstance(self.provider_ref, Unset):
            provider_ref = UNSET
        else:
            provider_ref = self.provider_ref

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        submitted_at: None | str | Unset
        if isinstance(self.submitted_at, Unset):
            submitted_at = UNSET
        elif isinstance(self.submitted_at, datetime.datetime):
            submitted_at = self.submitted_at.isoformat()
        else:
            submitted_at = self.submitted_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "level": level,
                "personal_data_on_file": personal_data_on_file,
                "state": state,
                "tenant_id": tenant_id,
                "tenant_name": tenant_name,
            }
        )
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at
        if provider is not UNSET:
            field_dict["provider"] = provider
        if provider_ref is not UNSET:
            field_dict["provider_ref"] = provider_ref
        if reason is not UNSET:
            field_dict["reason"] = reason
        if submitted_at is not UNSET:
            field_dict["submitted_at"] = submitted_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        level = KycLevel(d.pop("level"))

        personal_data_on_file = d.pop("personal_data_on_file")

        state = KycState(d.pop("state"))

        tenant_id = d.pop("tenant_id")

        tenant_name = d.pop("tenant_name")

        def _parse_decided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_1 = datetime.datetime.fromisoformat(data)

                return decided_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        decided_at = _parse_decided_at(d.pop("decided_at", UNSET))

        def _parse_provider(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider = _parse_provider(d.pop("provider", UNSET))

        def _parse_provider_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider_ref = _parse_provider_ref(d.pop("provider_ref", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_submitted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                submitted_at_type_1 = datetime.datetime.fromisoformat(data)

                return submitted_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        submitted_at = _parse_submitted_at(d.pop("submitted_at", UNSET))

        kyc_review_view = cls(
            level=level,
            personal_data_on_file=personal_data_on_file,
            state=state,
            tenant_id=tenant_id,
            tenant_name=tenant_name,
            decided_at=decided_at,
            provider=provider,
            provider_ref=provider_ref,
            reason=reason,
            submitted_at=submitted_at,
        )

        kyc_review_view.additional_properties = d
        return kyc_review_view

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
