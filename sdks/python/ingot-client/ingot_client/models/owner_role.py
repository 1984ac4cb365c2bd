from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="OwnerRole")


@_attrs_define
class OwnerRole:
    """A person-role of the team model, with where to reach them.

    Attributes:
        handle (str): The code-review handle written into CODEOWNERS: `@ingot/platform-lead`.
        key (str): Stable key: `platform-lead`.
        title (str): `Platform Lead`.
    """

    handle: str
    key: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        handle = self.handle

        key = self.key

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "handle": handle,
                "key": key,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        handle = d.pop("handle")

        key = d.pop("key")

        title = d.pop("title")

        owner_role = cls(
            handle=handle,
            key=key,
            title=title,
        )

        return owner_role
