from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.disk_kind import DiskKind

T = TypeVar("T", bound="Disk")


@_attrs_define
class Disk:
    """
    Attributes:
        kind (DiskKind):
        size_gib (int):
    """

    kind: DiskKind
    size_gib: int

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        size_gib = self.size_gib

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "size_gib": size_gib,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = DiskKind(d.pop("kind"))

        size_gib = d.pop("size_gib")

        disk = cls(
            kind=kind,
            size_gib=size_gib,
        )

        return disk
