from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_variable import TemplateVariable


T = TypeVar("T", bound="TemplateRequest")


@_attrs_define
class TemplateRequest:
    """`POST /v1/projects/{project_id}/templates` and `PUT …/templates/{template}`.

    Attributes:
        body (str): At most 16 KiB.
        name (str): 1–64 of `a-z`, `0-9`, `-`; not starting with `ingot-`.
        description (str | Unset):
        variables (list[TemplateVariable] | Unset):
    """

    body: str
    name: str
    description: str | Unset = UNSET
    variables: list[TemplateVariable] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        name = self.name

        description = self.description

        variables: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = []
            for variables_item_data in self.variables:
                variables_item = variables_item_data.to_dict()
                variables.append(variables_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "body": body,
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_variable import TemplateVariable  # noqa: PLC0415

        d = dict(src_dict)
        body = d.pop("body")

        name = d.pop("name")

        description = d.pop("description", UNSET)

        _variables = d.pop("variables", UNSET)
        variables: list[TemplateVariable] | Unset = UNSET
        if _variables is not UNSET:
            variables = []
            for variables_item_data in _variables:
                variables_item = TemplateVariable.from_dict(variables_item_data)

                variables.append(variables_item)

        template_request = cls(
            body=body,
            name=name,
            description=description,
            variables=variables,
        )

        return template_request
