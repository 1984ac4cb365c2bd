from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DriftCount")


@_attrs_define
class DriftCount:
    """
    Attributes:
        kind (str): `deployed_without_allocation`, `power_drift`, …
        last_24h (int):
        tenant_cost (int): Of those, drift that cost a tenant something.
        total (int):
    """

    kind: str
    last_24h: int
    tenant_cost: int
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        last_24h = self.last_24h

        tenant_cost = self.tenant_cost

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "last_24h": last_24h,
                "tenant_cost": tenant_cost,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        last_24h = d.pop("last_24h")

        tenant_cost = d.pop("tenant_cost")

        total = d.pop("total")

        drift_count = cls(
            kind=kind,
            last_24h=last_24h,
            tenant_cost=tenant_cost,
            total=total,
        )

        drift_count.additional_properties = d
        return drift_count

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
