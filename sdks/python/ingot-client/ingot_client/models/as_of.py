from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cache_outcome import CacheOutcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="AsOf")


@_attrs_define
class AsOf:
    """What an answer reflects: every event up to `position` of the event history (in commit
    order) that concerns it.

        Attributes:
            cache (CacheOutcome): Whether a cached answer was used.
            composed_at (datetime.datetime):
            generation (int): The projection's generation serving the answer (a rebuild makes a new one).
            position (str): The last applied event's position, `txid.seq`; `0.0` before any.
            projection (str):
            last_event_at (datetime.datetime | None | Unset):
    """

    cache: CacheOutcome
    composed_at: datetime.datetime
    generation: int
    position: str
    projection: str
    last_event_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cache = self.cache.value

        composed_at = self.composed_at.isoformat()

        generation = self.generation

        position = self.position

        projection = self.projection

        last_event_at: None | str | Unset
        if isinstance(self.last_event_at, Unset):
            last_event_at = UNSET
        elif isinstance(self.last_event_at, datetime.datetime):
            last_event_at = self.last_event_at.isoformat()
        else:
            last_event_at = self.last_event_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cache": cache,
                "composed_at": composed_at,
                "generation": generation,
                "position": position,
                "projection": projection,
            }
        )
        if last_event_at is not UNSET:
            field_dict["last_event_at"] = last_event_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cache = CacheOutcome(d.pop("cache"))

        composed_at = datetime.datetime.fromisoformat(d.pop("composed_at"))

        generation = d.pop("generation")

        position = d.pop("position")

        projection = d.pop("projection")

        def _parse_last_event_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_event_at_type_1 = datetime.datetime.fromisoformat(data)

                return last_event_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_event_at = _parse_last_event_at(d.pop("last_event_at", UNSET))

        as_of = cls(
            cache=cache,
            composed_at=composed_at,
            generation=generation,
            position=position,
            projection=projection,
            last_event_at=last_event_at,
        )

        as_of.additional_properties = d
        return as_of

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
