from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="NodeOperationRequest")


@_attrs_define
class NodeOperationRequest:
    """`POST /v1/admin/nodes/{node_id}/reimage` and `…/decommission`.

    Attributes:
        reason (str): Why: kept with the operation and in the audit log.
    """

    reason: str

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        node_operation_request = cls(
            reason=reason,
        )

        return node_operation_request
