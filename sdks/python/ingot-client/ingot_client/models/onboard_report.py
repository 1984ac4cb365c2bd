from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OnboardReport")


@_attrs_define
class OnboardReport:
    """What one onboarding pass did at a site.

    Attributes:
        awaiting_operator (int): New machines waiting for an operator (auto-commission off).
        commissioning (int): Machines still commissioning.
        commissioning_started (int): New machines sent to commissioning in this pass.
        errors (int): Machines whose step failed this pass (logged; retried next pass).
        failed (int): Machines whose commissioning failed (each reported once as an event).
        registered (int): Machines handed to Inventory (new or refreshed) in this pass.
        seen (int): Machines of the site seen in the region.
    """

    awaiting_operator: int
    commissioning: int
    commissioning_started: int
    errors: int
    failed: int
    registered: int
    seen: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        awaiting_operator = self.awaiting_operator

        commissioning = self.commissioning

        commissioning_started = self.commissioning_started

        errors = self.errors

        failed = self.failed

        registered = self.registered

        seen = self.seen

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "awaiting_operator": awaiting_operator,
                "commissioning": commissioning,
                "commissioning_started": commissioning_started,
                "errors": errors,
                "failed": failed,
                "registered": registered,
                "seen": seen,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        awaiting_operator = d.pop("awaiting_operator")

        commissioning = d.pop("commissioning")

        commissioning_started = d.pop("commissioning_started")

        errors = d.pop("errors")

        failed = d.pop("failed")

        registered = d.pop("registered")

        seen = d.pop("seen")

        onboard_report = cls(
            awaiting_operator=awaiting_operator,
            commissioning=commissioning,
            commissioning_started=commissioning_started,
            errors=errors,
            failed=failed,
            registered=registered,
            seen=seen,
        )

        onboard_report.additional_properties = d
        return onboard_report

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
