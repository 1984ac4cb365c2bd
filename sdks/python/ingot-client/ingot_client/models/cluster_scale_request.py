from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ClusterScaleRequest")


@_attrs_define
class ClusterScaleRequest:
    """`POST /v1/projects/{project_id}/clusters/{cluster}/scale`.

    Attributes:
        workers (int): The number of workers wanted, 0–64: more are allocated, the newest are released.
    """

    workers: int

    def to_dict(self) -> dict[str, Any]:
        workers = self.workers

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "workers": workers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workers = d.pop("workers")

        cluster_scale_request = cls(
            workers=workers,
        )

        return cluster_scale_request
