from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sku_constraints import SkuConstraints


T = TypeVar("T", bound="SkuCreateRequest")


@_attrs_define
class SkuCreateRequest:
    """`POST /v1/admin/skus`.

    Attributes:
        constraints (SkuConstraints): What a SKU demands of a node. Machines are sold whole, so the GPU model and count
            are exact;
            cores, RAM and storage are minimums.
        name (str): Lowercase letters, digits and `-`, 2–48 characters.
        active (bool | None | Unset): Defaults to true.
        description (str | Unset):
    """

    constraints: SkuConstraints
    name: str
    active: bool | None | Unset = UNSET
    description: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        constraints = self.constraints.to_dict()

        name = self.name

        active: bool | None | Unset
        if isinstance(self.active, Unset):
            active = UNSET
        else:
            active = self.active

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "constraints": constraints,
                "name": name,
            }
        )
        if active is not UNSET:
            field_dict["active"] = active
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sku_constraints import SkuConstraints  # noqa: PLC0415

        d = dict(src_dict)
        constraints = SkuConstraints.from_dict(d.pop("constraints"))

        name = d.pop("name")

        def _parse_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        active = _parse_active(d.pop("active", UNSET))

        description = d.pop("description", UNSET)

        sku_create_request = cls(
            constraints=constraints,
            name=name,
            active=active,
            description=description,
        )

        return sku_create_request
