from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.variable_kind import VariableKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="TemplateVariable")


@_attrs_define
class TemplateVariable:
    """A typed variable a template's body uses as `{{ name }}` (or `{{ name | json }}`, quoted for
    YAML and JSON).

        Attributes:
            kind (VariableKind): The type of a template variable.
            name (str): `a-z`, `0-9`, `_`, starting with a letter; `ingot_` is reserved for what the platform
                fills in (clusters: `ingot_cluster_name`, `ingot_role`, `ingot_node_index`,
                `ingot_head_address`, `ingot_cluster_token`).
            choices (list[str] | Unset): The allowed values of a `choice`.
            default (Any | Unset): Used when a render gives no value; a variable without one must be given.
                Any JSON value of the variable's kind (a string, a number, a list, …).
            description (str | Unset):
    """

    kind: VariableKind
    name: str
    choices: list[str] | Unset = UNSET
    default: Any | Unset = UNSET
    description: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        name = self.name

        choices: list[str] | Unset = UNSET
        if not isinstance(self.choices, Unset):
            choices = self.choices

        default = self.default

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "name": name,
            }
        )
        if choices is not UNSET:
            field_dict["choices"] = choices
        if default is not UNSET:
            field_dict["default"] = default
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = VariableKind(d.pop("kind"))

        name = d.pop("name")

        choices = cast(list[str], d.pop("choices", UNSET))

        default = d.pop("default", UNSET)

        description = d.pop("description", UNSET)

        template_variable = cls(
            kind=kind,
            name=name,
            choices=choices,
            default=default,
            description=description,
        )

        return template_variable
