from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.generation_status import GenerationStatus
    from ..models.projection_ownership import ProjectionOwnership


T = TypeVar("T", bound="ProjectionStatus")


@_attrs_define
class ProjectionStatus:
    """A projection's build state, for operators: `GET /v1/admin/read-models`.

    Attributes:
        ownership (ProjectionOwnership): A projection as it declares itself: the domains that own the data it is built
            from, and the
            BFF owner answering for the composed dashboard (domain-ownership-map.md).
        version (int): The code's version of the projection.
        active (GenerationStatus | None | Unset):
        building (GenerationStatus | None | Unset):
    """

    ownership: ProjectionOwnership
    version: int
    active: GenerationStatus | None | Unset = UNSET
    building: GenerationStatus | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.generation_status import GenerationStatus  # noqa: PLC0415

        ownership = self.ownership.to_dict()

        version = self.version

        active: dict[str, Any] | None | Unset
        if isinstance(self.active, Unset):
            active = UNSET
        elif isinstance(self.active, GenerationStatus):
            active = self.active.to_dict()
        else:
            active = self.active

        building: dict[str, Any] | None | Unset
        if isinstance(self.building, Unset):
            building = UNSET
        elif isinstance(self.building, GenerationStatus):
            building = self.building.to_dict()
        else:
            building = self.building

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ownership": ownership,
                "version": version,
            }
        )
        if active is not UNSET:
            field_dict["active"] = active
        if building is not UNSET:
            field_dict["building"] = building

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generation_status import GenerationStatus  # noqa: PLC0415
        from ..models.projection_ownership import ProjectionOwnership  # noqa: PLC0415

        d = dict(src_dict)
        ownership = ProjectionOwnership.from_dict(d.pop("ownership"))

        version = d.pop("version")

        def _parse_active(data: object) -> GenerationStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                active_type_1 = GenerationStatus.from_dict(data)

                return active_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GenerationStatus | None | Unset, data)

        active = _parse_active(d.pop("active", UNSET))

        def _parse_building(data: object) -> GenerationStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                building_type_1 = GenerationStatus.from_dict(data)

                return building_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GenerationStatus | None | Unset, data)

        building = _parse_building(d.pop("building", UNSET))

        projection_status = cls(
            ownership=ownership,
            version=version,
            active=active,
            building=building,
        )

        projection_status.additional_properties = d
        return projection_status

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
