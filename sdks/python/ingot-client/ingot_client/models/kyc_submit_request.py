from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.kyc_personal_data import KycPersonalData


T = TypeVar("T", bound="KycSubmitRequest")


@_attrs_define
class KycSubmitRequest:
    """`POST /v1/tenants/{tenant_id}/kyc` (tenant owner).

    Attributes:
        personal_data (KycPersonalData | None | Unset):
        provider_ref (None | str | Unset): The verification provider's case reference, when verification runs at a
            provider.
    """

    personal_data: KycPersonalData | None | Unset = UNSET
    provider_ref: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.kyc_personal_data import KycPersonalData  # noqa: PLC0415

        personal_data: dict[str, Any] | None | Unset
        if isinstance(self.personal_data, Unset):
            personal_data = UNSET
        elif isinstance(self.personal_data, KycPersonalData):
            personal_data = self.personal_data.to_dict()
        else:
            personal_data = self.personal_data

        provider_ref: None | str | Unset
        if isinstance(self.provider_ref, Unset):
            provider_ref = UNSET
        else:
            provider_ref = self.provider_ref

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if personal_data is not UNSET:
            field_dict["personal_data"] = personal_data
        if provider_ref is not UNSET:
            field_dict["provider_ref"] = provider_ref

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kyc_personal_data import KycPersonalData  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_personal_data(data: object) -> KycPersonalData | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                personal_data_type_1 = KycPersonalData.from_dict(data)

                return personal_data_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KycPersonalData | None | Unset, data)

        personal_data = _parse_personal_data(d.pop("personal_data", UNSET))

        def _parse_provider_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider_ref = _parse_provider_ref(d.pop("provider_ref", UNSET))

        kyc_submit_request = cls(
            personal_data=personal_data,
            provider_ref=provider_ref,
        )

        return kyc_submit_request
