from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContextOwnership")


@_attrs_define
class ContextOwnership:
    """One bounded context (or shared area) and who answers for it.

    Attributes:
        name (str): As the ownership map names it: `Provisioning.BareMetal.MAAS`.
        on_call_severity (str): `SEV-1` or `SEV-2`: how incidents in this context page.
        paths (list[str]): Repository paths the context owns; a trailing `/` means a folder.
        primary (str): Role keys.
        required_reviewers (list[str]): Role keys whose approval a change here needs, after the approval rules.
        secondary (str):
        rules (list[str] | Unset): Names of the approval rules that apply.
    """

    name: str
    on_call_severity: str
    paths: list[str]
    primary: str
    required_reviewers: list[str]
    secondary: str
    rules: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        on_call_severity = self.on_call_severity

        paths = self.paths

        primary = self.primary

        required_reviewers = self.required_reviewers

        secondary = self.secondary

        rules: list[str] | Unset = UNSET
        if not isinstance(self.rules, Unset):
            rules = self.rules

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "on_call_severity": on_call_severity,
                "paths": paths,
                "primary": primary,
                "required_reviewers": required_reviewers,
                "secondary": secondary,
            }
        )
        if rules is not UNSET:
            field_dict["rules"] = rules

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        on_call_severity = d.pop("on_call_severity")

        paths = cast(list[str], d.pop("paths"))

        primary = d.pop("primary")

        required_reviewers = cast(list[str], d.pop("required_reviewers"))

        secondary = d.pop("secondary")

        rules = cast(list[str], d.pop("rules", UNSET))

        context_ownership = cls(
            name=name,
            on_call_severity=on_call_severity,
            paths=paths,
            primary=primary,
            required_reviewers=required_reviewers,
            secondary=secondary,
            rules=rules,
        )

        return context_ownership
