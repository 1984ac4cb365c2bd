from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="StoppingAllocation")


@_attrs_define
class StoppingAllocation:
    """
    Attributes:
        allocation_id (str): allocation id
        deadline (datetime.datetime):
        rate_per_hour (Money):
    """

    allocation_id: str
    deadline: datetime.datetime
    rate_per_hour: Money
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allocation_id = self.allocation_id

        deadline = self.deadline.isoformat()

        rate_per_hour = self.rate_per_hour.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allocation_id": allocation_id,
                "deadline": deadline,
                "rate_per_hour": rate_per_hour,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        allocation_id = d.pop("allocation_id")

        deadline = datetime.datetime.fromisoformat(d.pop("deadline"))

        rate_per_hour = Money.from_dict(d.pop("rate_per_hour"))

        stopping_allocation = cls(
            allocation_id=allocation_id,
            deadline=deadline,
            rate_per_hour=rate_per_hour,
        )

        stopping_allocation.additional_properties = d
        return stopping_allocation

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
