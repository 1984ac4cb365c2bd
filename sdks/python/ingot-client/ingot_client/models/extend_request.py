from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtendRequest")


@_attrs_define
class ExtendRequest:
    """`POST /v1/allocations/{allocation_id}/extend`: a new `release_at` (later than now), or none
    to keep the allocation until released.

        Attributes:
            release_at (datetime.datetime | None | Unset):
    """

    release_at: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        release_at: None | str | Unset
        if isinstance(self.release_at, Unset):
            release_at = UNSET
        elif isinstance(self.release_at, datetime.datetime):
            release_at = self.release_at.isoformat()
        else:
            release_at = self.release_at

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if release_at is not UNSET:
            field_dict["release_at"] = release_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_release_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                release_at_type_1 = datetime.datetime.fromisoformat(data)

                return release_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        release_at = _parse_release_at(d.pop("release_at", UNSET))

        extend_request = cls(
            release_at=release_at,
        )

        return extend_request
