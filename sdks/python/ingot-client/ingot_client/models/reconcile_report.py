from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReconcileReport")


@_attrs_define
class ReconcileReport:
    """What one reconciliation pass at a site did.

    Attributes:
        findings (int): Drift found this pass (new or ongoing).
        machines (int):
        new (int):
        pass_id (str):
        repairs (int):
        requests (int): Requests made to the region.
        resolved (int):
    """

    findings: int
    machines: int
    new: int
    pass_id: str
    repairs: int
    requests: int
    resolved: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        findings = self.findings

        machines = self.machines

        new = self.new

        pass_id = self.pass_id

        repairs = self.repairs

        requests = self.requests

        resolved = self.resolved

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "findings": findings,
                "machines": machines,
                "new": new,
                "pass_id": pass_id,
                "repairs": repairs,
                "requests": requests,
                "resolved": resolved,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        findings = d.pop("findings")

        machines = d.pop("machines")

        new = d.pop("new")

        pass_id = d.pop("pass_id")

        repairs = d.pop("repairs")

        requests = d.pop("requests")

        resolved = d.pop("resolved")

        reconcile_report = cls(
            findings=findings,
            machines=machines,
            new=new,
            pass_id=pass_id,
            repairs=repairs,
            requests=requests,
            resolved=resolved,
        )

        reconcile_report.additional_properties = d
        return reconcile_report

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
