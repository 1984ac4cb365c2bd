from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_choice_variables import TemplateChoiceVariables


T = TypeVar("T", bound="TemplateChoice")


@_attrs_define
class TemplateChoice:
    """A template an allocation's user-data is rendered from, with values for its variables.

    Attributes:
        name (str): The template's id or name (built-ins by name, such as `ingot-docker-host`).
        variables (TemplateChoiceVariables | Unset):
    """

    name: str
    variables: TemplateChoiceVariables | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        variables: dict[str, Any] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = self.variables.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_choice_variables import TemplateChoiceVariables  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        _variables = d.pop("variables", UNSET)
        variables: TemplateChoiceVariables | Unset
        if isinstance(_variables, Unset):
            variables = UNSET
        else:
            variables = TemplateChoiceVariables.from_dict(_variables)

        template_choice = cls(
            name=name,
            variables=variables,
        )

        return template_choice
