from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SshKeyCreateRequest")


@_attrs_define
class SshKeyCreateRequest:
    """`POST /v1/projects/{project_id}/ssh-keys`.

    Attributes:
        name (str): 1–100 characters.
        public_key (str): One OpenSSH public key line: ed25519, ECDSA (P-256/384/521) or RSA of at least 3072 bits.
    """

    name: str
    public_key: str

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        public_key = self.public_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "public_key": public_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        public_key = d.pop("public_key")

        ssh_key_create_request = cls(
            name=name,
            public_key=public_key,
        )

        return ssh_key_create_request
