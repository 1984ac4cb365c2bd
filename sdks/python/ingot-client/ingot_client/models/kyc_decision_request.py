from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.kyc_decision import KycDecision
from ..models.kyc_level import KycLevel
from ..types import UNSET, Unset

T = TypeVar("T", bound="KycDecisionRequest")


@_attrs_define
class KycDecisionRequest:
    """`POST /v1/admin/kyc/{tenant_id}/decision` (security, support).

    Attributes:
        decision (KycDecision):
        reason (str): Why; kept with the decision and audited.
        level (KycLevel | None | Unset):
    """

    decision: KycDecision
    reason: str
    level: KycLevel | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        reason = self.reason

        level: None | str | Unset
        if isinstance(self.level, Unset):
            level = UNSET
        elif isinstance(self.level, KycLevel):
            level = self.level.value
        else:
            level = self.level

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
                "reason": reason,
            }
        )
        if level is not UNSET:
            field_dict["level"] = level

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision = KycDecision(d.pop("decision"))

        reason = d.pop("reason")

        def _parse_level(data: object) -> KycLevel | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                level_type_1 = KycLevel(data)

                return level_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KycLevel | None | Unset, data)

        level = _parse_level(d.pop("level", UNSET))

        kyc_decision_request = cls(
            decision=decision,
            reason=reason,
            level=level,
        )

        return kyc_decision_request
