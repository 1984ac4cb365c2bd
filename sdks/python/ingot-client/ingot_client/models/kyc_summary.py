from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kyc_level import KycLevel
from ..models.kyc_state import KycState

T = TypeVar("T", bound="KycSummary")


@_attrs_define
class KycSummary:
    """
    Attributes:
        level (KycLevel): How much a verified tenant is trusted with; `none` unless verified.
        state (KycState): Where a tenant's verification stands.
    """

    level: KycLevel
    state: KycState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        level = self.level.value

        state = self.state.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "level": level,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        level = KycLevel(d.pop("level"))

        state = KycState(d.pop("state"))

        kyc_summary = cls(
            level=level,
            state=state,
        )

        kyc_summary.additional_properties = d
        return kyc_summary

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
