from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DeployCounts")


@_attrs_define
class DeployCounts:
    """
    Attributes:
        failed (int):
        failure_rate (float): failed ÷ (succeeded + failed); 0 without deploys.
        succeeded (int):
    """

    failed: int
    failure_rate: float
    succeeded: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failed = self.failed

        failure_rate = self.failure_rate

        succeeded = self.succeeded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failed": failed,
                "failure_rate": failure_rate,
                "succeeded": succeeded,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        failed = d.pop("failed")

        failure_rate = d.pop("failure_rate")

        succeeded = d.pop("succeeded")

        deploy_counts = cls(
            failed=failed,
            failure_rate=failure_rate,
            succeeded=succeeded,
        )

        deploy_counts.additional_properties = d
        return deploy_counts

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
