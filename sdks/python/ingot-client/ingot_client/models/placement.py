from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Placement")


@_attrs_define
class Placement:
    """Where a node sits inside its site; the fabric group (an NVLink or InfiniBand domain) decides
    which nodes can form one cluster.

        Attributes:
            fabric_group (None | str | Unset):
            position (int | None | Unset):
            rack (None | str | Unset):
    """

    fabric_group: None | str | Unset = UNSET
    position: int | None | Unset = UNSET
    rack: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        fabric_group: None | str | Unset
        if isinstance(self.fabric_group, Unset):
            fabric_group = UNSET
        else:
            fabric_group = self.fabric_group

        position: int | None | Unset
        if isinstance(self.position, Unset):
            position = UNSET
        else:
            position = self.position

        rack: None | str | Unset
        if isinstance(self.rack, Unset):
            rack = UNSET
        else:
            rack = self.rack

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if fabric_group is not UNSET:
            field_dict["fabric_group"] = fabric_group
        if position is not UNSET:
            field_dict["position"] = position
        if rack is not UNSET:
            field_dict["rack"] = rack

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_fabric_group(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fabric_group = _parse_fabric_group(d.pop("fabric_group", UNSET))

        def _parse_position(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        position = _parse_position(d.pop("position", UNSET))

        def _parse_rack(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rack = _parse_rack(d.pop("rack", UNSET))

        placement = cls(
            fabric_group=fabric_group,
            position=position,
            rack=rack,
        )

        return placement
