from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SshKeyView")


@_attrs_define
class SshKeyView:
    """An SSH public key: a project's (any member may install it) or a user's own (installed only
    by allocations that user makes), named by id in allocations.

        Attributes:
            added_by (str): user id
            bits (int):
            created_at (datetime.datetime):
            fingerprint (str): `SHA256:…`, as `ssh-keygen -l` shows it.
            id (str): ssh key id
            kind (str): `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, …
            name (str): A name to tell keys apart: `alice laptop`.
            public_key (str): `TYPE BASE64`, as it goes into `authorized_keys`.
            comment (None | str | Unset):
            project_id (None | str | Unset):
    """

    added_by: str
    bits: int
    created_at: datetime.datetime
    fingerprint: str
    id: str
    kind: str
    name: str
    public_key: str
    comment: None | str | Unset = UNSET
    project_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        added_by = self.added_by

        bits = self.bits

        created_at = self.created_at.isoformat()

        fingerprint = self.fingerprint

        id = self.id

        kind = self.kind

        name = self.name

        public_key = self.public_key

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "added_by": added_by,
                "bits": bits,
                "created_at": created_at,
                "fingerprint": fingerprint,
                "id": id,
                "kind": kind,
                "name": name,
                "public_key": public_key,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        added_by = d.pop("added_by")

        bits = d.pop("bits")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        fingerprint = d.pop("fingerprint")

        id = d.pop("id")

        kind = d.pop("kind")

        name = d.pop("name")

        public_key = d.pop("public_key")

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        ssh_key_view = cls(
            added_by=added_by,
            bits=bits,
            created_at=created_at,
            fingerprint=fingerprint,
            id=id,
            kind=kind,
            name=name,
            public_key=public_key,
            comment=comment,
            project_id=project_id,
        )

        ssh_key_view.additional_properties = d
        return ssh_key_view

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
