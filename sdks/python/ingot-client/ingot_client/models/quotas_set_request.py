from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.quota_entry import QuotaEntry


T = TypeVar("T", bound="QuotasSetRequest")


@_attrs_define
class QuotasSetRequest:
    """`PUT /v1/admin/tenants/{tenant_id}/quotas`: the tenant's whole set of quotas, replaced
    (audited, with the reason).

        Attributes:
            quotas (list[QuotaEntry]):
            reason (str):
    """

    quotas: list[QuotaEntry]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        quotas = []
        for quotas_item_data in self.quotas:
            quotas_item = quotas_item_data.to_dict()
            quotas.append(quotas_item)

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "quotas": quotas,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quota_entry import QuotaEntry  # noqa: PLC0415

        d = dict(src_dict)
        quotas = []
        _quotas = d.pop("quotas")
        for quotas_item_data in _quotas:
            quotas_item = QuotaEntry.from_dict(quotas_item_data)

            quotas.append(quotas_item)

        reason = d.pop("reason")

        quotas_set_request = cls(
            quotas=quotas,
            reason=reason,
        )

        return quotas_set_request
