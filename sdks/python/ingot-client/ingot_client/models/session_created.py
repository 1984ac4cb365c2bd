from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.project_view import ProjectView
    from ..models.tenant_view import TenantView
    from ..models.user_view import UserView


T = TypeVar("T", bound="SessionCreated")


@_attrs_define
class SessionCreated:
    """Sign-up and login answer: the session as a Bearer token too, for clients without cookies.

    Attributes:
        expires_at (datetime.datetime):
        session_id (str): session id
        session_token (str): Shown once. Send as `Authorization: Bearer …`; the web app gets the same in a cookie.
        user (UserView):
        project (None | ProjectView | Unset):
        tenant (None | TenantView | Unset):
    """

    expires_at: datetime.datetime
    session_id: str
    session_token: str
    user: UserView
    project: None | ProjectView | Unset = UNSET
    tenant: None | TenantView | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.project_view import ProjectView  # noqa: PLC0415
        from ..models.tenant_view import TenantView  # noqa: PLC0415

        expires_at = self.expires_at.isoformat()

        session_id = self.session_id

        session_token = self.session_token

        user = self.user.to_dict()

        project: dict[str, Any] | None | Unset
        if isinstance(self.project, Unset):
            project = UNSET
        elif isinstance(self.project, ProjectView):
            project = self.project.to_dict()
        else:
            project = self.project

        tenant: dict[str, Any] | None | Unset
        if isinstance(self.tenant, Unset):
            tenant = UNSET
        elif isinstance(self.tenant, TenantView):
            tenant = self.tenant.to_dict()
        else:
            tenant = self.tenant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expires_at": expires_at,
                "session_id": session_id,
                "session_token": session_token,
                "user": user,
            }
        )
        if project is not UNSET:
            field_dict["project"] = project
        if tenant is not UNSET:
            field_dict["tenant"] = tenant

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.project_view import ProjectView  # noqa: PLC0415
        from ..models.tenant_view import TenantView  # noqa: PLC0415
        from ..models.user_view import UserView  # noqa: PLC0415

        d = dict(src_dict)
        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        session_id = d.pop("session_id")

        session_token = d.pop("session_token")

        user = UserView.from_dict(d.pop("user"))

        def _parse_project(data: object) -> None | ProjectView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                project_type_1 = ProjectView.from_dict(data)

                return project_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProjectView | Unset, data)

        project = _parse_project(d.pop("project", UNSET))

        def _parse_tenant(data: object) -> None | TenantView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tenant_type_1 = TenantView.from_dict(data)

                return tenant_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TenantView | Unset, data)

        tenant = _parse_tenant(d.pop("tenant", UNSET))

        session_created = cls(
            expires_at=expires_at,
            session_id=session_id,
            session_token=session_token,
            user=user,
            project=project,
            tenant=tenant,
        )

        session_created.additional_properties = d
        return session_created

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
