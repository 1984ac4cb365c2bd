from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.project_role import ProjectRole

T = TypeVar("T", bound="ProjectMemberSetRequest")


@_attrs_define
class ProjectMemberSetRequest:
    """`PUT /v1/projects/{project_id}/members/{user_id}`: the person must be a member of the tenant.

    Attributes:
        role (ProjectRole): Roles within one project, on top of the tenant role (which applies to every project):
            tenant owners and admins act as project admins, members as members, viewers as viewers.
    """

    role: ProjectRole

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = ProjectRole(d.pop("role"))

        project_member_set_request = cls(
            role=role,
        )

        return project_member_set_request
