from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.user_data_kind import UserDataKind

T = TypeVar("T", bound="RenderedUserData")


@_attrs_define
class RenderedUserData:
    """A rendered template, checked as any user-data is before a deploy.

    Attributes:
        bytes_ (int):
        kind (UserDataKind): What user-data is, once checked.
        template (str):
        user_data (str):
        version (int):
    """

    bytes_: int
    kind: UserDataKind
    template: str
    user_data: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bytes_ = self.bytes_

        kind = self.kind.value

        template = self.template

        user_data = self.user_data

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bytes": bytes_,
                "kind": kind,
                "template": template,
                "user_data": user_data,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bytes_ = d.pop("bytes")

        kind = UserDataKind(d.pop("kind"))

        template = d.pop("template")

        user_data = d.pop("user_data")

        version = d.pop("version")

        rendered_user_data = cls(
            bytes_=bytes_,
            kind=kind,
            template=template,
            user_data=user_data,
            version=version,
        )

        rendered_user_data.additional_properties = d
        return rendered_user_data

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
