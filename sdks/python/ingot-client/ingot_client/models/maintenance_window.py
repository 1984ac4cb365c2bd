from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MaintenanceWindow")


@_attrs_define
class MaintenanceWindow:
    """A weekly window in which disruptive operator work (reimage, decommission) may run, in UTC.

    Attributes:
        duration_minutes (int):
        start (str): `HH:MM`, UTC.
        weekday (str): `mon` … `sun`.
    """

    duration_minutes: int
    start: str
    weekday: str

    def to_dict(self) -> dict[str, Any]:
        duration_minutes = self.duration_minutes

        start = self.start

        weekday = self.weekday

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "duration_minutes": duration_minutes,
                "start": start,
                "weekday": weekday,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        duration_minutes = d.pop("duration_minutes")

        start = d.pop("start")

        weekday = d.pop("weekday")

        maintenance_window = cls(
            duration_minutes=duration_minutes,
            start=start,
            weekday=weekday,
        )

        return maintenance_window
