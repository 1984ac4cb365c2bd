from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UtilisationPoint")


@_attrs_define
class UtilisationPoint:
    """
    Attributes:
        assigned (int): As the hour ended (or as it stands, for the current one).
        assigned_peak (int): The highest assigned count seen during the hour.
        hour (datetime.datetime):
        in_service (int):
        utilisation (float):
    """

    assigned: int
    assigned_peak: int
    hour: datetime.datetime
    in_service: int
    utilisation: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assigned = self.assigned

        assigned_peak = self.assigned_peak

        hour = self.hour.isoformat()

        in_service = self.in_service

        utilisation = self.utilisation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assigned": assigned,
                "assigned_peak": assigned_peak,
                "hour": hour,
                "in_service": in_service,
                "utilisation": utilisation,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        assigned = d.pop("assigned")

        assigned_peak = d.pop("assigned_peak")

        hour = datetime.datetime.fromisoformat(d.pop("hour"))

        in_service = d.pop("in_service")

        utilisation = d.pop("utilisation")

        utilisation_point = cls(
            assigned=assigned,
            assigned_peak=assigned_peak,
            hour=hour,
            in_service=in_service,
            utilisation=utilisation,
        )

        utilisation_point.additional_properties = d
        return utilisation_point

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
