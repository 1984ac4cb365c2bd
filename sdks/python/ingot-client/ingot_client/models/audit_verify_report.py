from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_break import AuditBreak


T = TypeVar("T", bound="AuditVerifyReport")


@_attrs_define
class AuditVerifyReport:
    """`GET /v1/admin/audit/verify`.

    Attributes:
        ok (bool):
        records_checked (int):
        first_break (AuditBreak | None | Unset):
    """

    ok: bool
    records_checked: int
    first_break: AuditBreak | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_break import AuditBreak  # noqa: PLC0415

        ok = self.ok

        records_checked = self.records_checked

        first_break: dict[str, Any] | None | Unset
        if isinstance(self.first_break, Unset):
            first_break = UNSET
        elif isinstance(self.first_break, AuditBreak):
            first_break = self.first_break.to_dict()
        else:
            first_break = self.first_break

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "records_checked": records_checked,
            }
        )
        if first_break is not UNSET:
            field_dict["first_break"] = first_break

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_break import AuditBreak  # noqa: PLC0415

        d = dict(src_dict)
        ok = d.pop("ok")

        records_checked = d.pop("records_checked")

        def _parse_first_break(data: object) -> AuditBreak | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                first_break_type_1 = AuditBreak.from_dict(data)

                return first_break_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditBreak | None | Unset, data)

        first_break = _parse_first_break(d.pop("first_break", UNSET))

        audit_verify_report = cls(
            ok=ok,
            records_checked=records_checked,
            first_break=first_break,
        )

        audit_verify_report.additional_properties = d
        return audit_verify_report

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
