from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.project_role import ProjectRole

T = TypeVar("T", bound="ProjectMemberView")


@_attrs_define
class ProjectMemberView:
    """A person's explicit role on a project.

    Attributes:
        project_id (str): project id
        role (ProjectRole): Roles within one project, on top of the tenant role (which applies to every project):
            tenant owners and admins act as project admins, members as members, viewers as viewers.
        user_id (str): user id
    """

    project_id: str
    role: ProjectRole
    user_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        project_id = self.project_id

        role = self.role.value

        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "project_id": project_id,
                "role": role,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        project_id = d.pop("project_id")

        role = ProjectRole(d.pop("role"))

        user_id = d.pop("user_id")

        project_member_view = cls(
            project_id=project_id,
            role=role,
            user_id=user_id,
        )

        project_member_view.additional_properties = d
        return project_member_view

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
