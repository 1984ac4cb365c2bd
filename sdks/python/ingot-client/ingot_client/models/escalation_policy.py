from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="EscalationPolicy")


@_attrs_define
class EscalationPolicy:
    """How pages escalate.

    Attributes:
        escalate_after_min (int): Minutes unresolved before escalating to `escalate_to`.
        escalate_to (str):
        page_both_on (list[str]): Severities that page primary and secondary at once.
    """

    escalate_after_min: int
    escalate_to: str
    page_both_on: list[str]

    def to_dict(self) -> dict[str, Any]:
        escalate_after_min = self.escalate_after_min

        escalate_to = self.escalate_to

        page_both_on = self.page_both_on

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "escalate_after_min": escalate_after_min,
                "escalate_to": escalate_to,
                "page_both_on": page_both_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        escalate_after_min = d.pop("escalate_after_min")

        escalate_to = d.pop("escalate_to")

        page_both_on = cast(list[str], d.pop("page_both_on"))

        escalation_policy = cls(
            escalate_after_min=escalate_after_min,
            escalate_to=escalate_to,
            page_both_on=page_both_on,
        )

        return escalation_policy
