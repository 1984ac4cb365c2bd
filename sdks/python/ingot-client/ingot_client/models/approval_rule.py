from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ApprovalRule")


@_attrs_define
class ApprovalRule:
    """A change-approval rule of the ownership map.

    Attributes:
        description (str):
        name (str): `security-sensitive`.
        reviewers (list[str]): Role keys that must approve in addition to the owner; `secondary` means the context's
            own.
    """

    description: str
    name: str
    reviewers: list[str]

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        name = self.name

        reviewers = self.reviewers

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "description": description,
                "name": name,
                "reviewers": reviewers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        name = d.pop("name")

        reviewers = cast(list[str], d.pop("reviewers"))

        approval_rule = cls(
            description=description,
            name=name,
            reviewers=reviewers,
        )

        return approval_rule
