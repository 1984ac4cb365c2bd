from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Nic")


@_attrs_define
class Nic:
    """
    Attributes:
        speed_gbps (int):
    """

    speed_gbps: int

    def to_dict(self) -> dict[str, Any]:
        speed_gbps = self.speed_gbps

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "speed_gbps": speed_gbps,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        speed_gbps = d.pop("speed_gbps")

        nic = cls(
            speed_gbps=speed_gbps,
        )

        return nic
