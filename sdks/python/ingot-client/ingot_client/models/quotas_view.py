from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.quota_entry import QuotaEntry


T = TypeVar("T", bound="QuotasView")


@_attrs_define
class QuotasView:
    """`GET /v1/admin/tenants/{tenant_id}/quotas`. A SKU with no entry is not limited by quota (KYC
    limits and capacity still apply).

        Attributes:
            quotas (list[QuotaEntry]):
            tenant_id (str): tenant id
    """

    quotas: list[QuotaEntry]
    tenant_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quotas = []
        for quotas_item_data in self.quotas:
            quotas_item = quotas_item_data.to_dict()
            quotas.append(quotas_item)

        tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "quotas": quotas,
                "tenant_id": tenant_id,
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

        tenant_id = d.pop("tenant_id")

        quotas_view = cls(
            quotas=quotas,
            tenant_id=tenant_id,
        )

        quotas_view.additional_properties = d
        return quotas_view

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
