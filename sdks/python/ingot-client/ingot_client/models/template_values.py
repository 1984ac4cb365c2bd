from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_values_variables import TemplateValuesVariables


T = TypeVar("T", bound="TemplateValues")


@_attrs_define
class TemplateValues:
    """`POST /v1/projects/{project_id}/templates/{template}/render`: a template and values for its
    variables, as an allocation names them too.

        Attributes:
            variables (TemplateValuesVariables | Unset):
    """

    variables: TemplateValuesVariables | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        variables: dict[str, Any] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = self.variables.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_values_variables import TemplateValuesVariables  # noqa: PLC0415

        d = dict(src_dict)
        _variables = d.pop("variables", UNSET)
        variables: TemplateValuesVariables | Unset
        if isinstance(_variables, Unset):
            variables = UNSET
        else:
            variables = TemplateValuesVariables.from_dict(_variables)

        template_values = cls(
            variables=variables,
        )

        return template_values
