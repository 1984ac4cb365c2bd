from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sku_constraints import SkuConstraints


T = TypeVar("T", bound="SkuUpdateRequest")


@_attrs_define
class SkuUpdateRequest:
    """`PATCH /v1/admin/skus/{sku_id}`: absent fields stay as they are.

    Attributes:
        active (bool | None | Unset):
        constraints (None | SkuConstraints | Unset):
        description (None | str | Unset):
    """

    active: bool | None | Unset = UNSET
    constraints: None | SkuConstraints | Unset = UNSET
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.sku_constraints import SkuConstraints  # noqa: PLC0415

        active: bool | None | Unset
        if isinstance(self.active, Unset):
            active = UNSET
        else:
            active = self.active

        constraints: dict[str, Any] | None | Unset
        if isinstance(self.constraints, Unset):
            constraints = UNSET
        elif isinstance(self.constraints, SkuConstraints):
            constraints = self.constraints.to_dict()
        else:
            constraints = self.constraints

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if active is not UNSET:
            field_dict["active"] = active
        if constraints is not UNSET:
            field_dict["constraints"] = constraints
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sku_constraints import SkuConstraints  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        active = _parse_active(d.pop("active", UNSET))

        def _parse_constraints(data: object) -> None | SkuConstraints | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                constraints_type_1 = SkuConstraints.from_dict(data)

                return constraints_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SkuConstraints | Unset, data)

        constraints = _parse_constraints(d.pop("constraints", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        sku_update_request = cls(
            active=active,
            constraints=constraints,
            description=description,
        )

        return sku_update_request
