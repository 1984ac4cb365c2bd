from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Cpu")


@_attrs_define
class Cpu:
    """
    Attributes:
        cores (int): Physical cores across all sockets.
        model (str):
        sockets (int):
    """

    cores: int
    model: str
    sockets: int

    def to_dict(self) -> dict[str, Any]:
        cores = self.cores

        model = self.model

        sockets = self.sockets

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cores": cores,
                "model": model,
                "sockets": sockets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cores = d.pop("cores")

        model = d.pop("model")

        sockets = d.pop("sockets")

        cpu = cls(
            cores=cores,
            model=model,
            sockets=sockets,
        )

        return cpu
