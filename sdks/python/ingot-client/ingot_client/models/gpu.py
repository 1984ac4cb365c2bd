from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Gpu")


@_attrs_define
class Gpu:
    """A kind of GPU fitted `count` times.

    Attributes:
        count (int):
        memory_mib (int):
        model (str): Normalised model name, such as `H100-SXM5-80GB`.
    """

    count: int
    memory_mib: int
    model: str

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        memory_mib = self.memory_mib

        model = self.model

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
                "memory_mib": memory_mib,
                "model": model,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        memory_mib = d.pop("memory_mib")

        model = d.pop("model")

        gpu = cls(
            count=count,
            memory_mib=memory_mib,
            model=model,
        )

        return gpu
