from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.me_view_credential import MeViewCredential
    from ..models.membership_view import MembershipView
    from ..models.user_view import UserView


T = TypeVar("T", bound="MeView")


@_attrs_define
class MeView:
    """`GET /v1/me`.

    Attributes:
        credential (MeViewCredential): The credential this request used.
        memberships (list[MembershipView]):
        user (UserView):
    """

    credential: MeViewCredential
    memberships: list[MembershipView]
    user: UserView
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credential = self.credential.to_dict()

        memberships = []
        for memberships_item_data in self.memberships:
            memberships_item = memberships_item_data.to_dict()
            memberships.append(memberships_item)

        user = self.user.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "credential": credential,
                "memberships": memberships,
                "user": user,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.me_view_credential import MeViewCredential  # noqa: PLC0415
        from ..models.membership_view import MembershipView  # noqa: PLC0415
        from ..models.user_view import UserView  # noqa: PLC0415

        d = dict(src_dict)
        credential = MeViewCredential.from_dict(d.pop("credential"))

        memberships = []
        _memberships = d.pop("memberships")
        for memberships_item_data in _memberships:
            memberships_item = MembershipView.from_dict(memberships_item_data)

            memberships.append(memberships_item)

        user = UserView.from_dict(d.pop("user"))

        me_view = cls(
            credential=credential,
            memberships=memberships,
            user=user,
        )

        me_view.additional_properties = d
        return me_view

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
