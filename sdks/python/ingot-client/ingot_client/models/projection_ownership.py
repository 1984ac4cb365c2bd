from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ProjectionOwnership")


@_attrs_define
class ProjectionOwnership:
    """A projection as it declares itself: the domains that own the data it is built from, and the
    BFF owner answering for the composed dashboard (domain-ownership-map.md).

        Attributes:
            bff_owner (str): The context answering for the composition: `UX`.
            name (str): `tenant-overview`.
            route (str): The route serving it.
            sources (list[str]): Source-owning domains, as OWNERS.toml names them: `billing`, `provisioning-allocation`.
    """

    bff_owner: str
    name: str
    route: str
    sources: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bff_owner = self.bff_owner

        name = self.name

        route = self.route

        sources = self.sources

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bff_owner": bff_owner,
                "name": name,
                "route": route,
                "sources": sources,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bff_owner = d.pop("bff_owner")

        name = d.pop("name")

        route = d.pop("route")

        sources = cast(list[str], d.pop("sources"))

        projection_ownership = cls(
            bff_owner=bff_owner,
            name=name,
            route=route,
            sources=sources,
        )

        projection_ownership.additional_properties = d
        return projection_ownership

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
