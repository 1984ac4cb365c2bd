from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.refusal_type_0 import RefusalType0
    from ..models.refusal_type_1 import RefusalType1
    from ..models.refusal_type_2 import RefusalType2
    from ..models.refusal_type_3 import RefusalType3
    from ..models.refusal_type_4 import RefusalType4
    from ..models.refusal_type_5 import RefusalType5


T = TypeVar("T", bound="AdmissionView")


@_attrs_define
class AdmissionView:
    """A dry run's answer: whether it would be admitted, and every reason it would not.

    Attributes:
        admitted (bool):
        refusals (list[RefusalType0 | RefusalType1 | RefusalType2 | RefusalType3 | RefusalType4 | RefusalType5]):
        hourly_price (Money | None | Unset):
        site (None | str | Unset): The site that would serve it (absent: none can).
    """

    admitted: bool
    refusals: list[RefusalType0 | RefusalType1 | RefusalType2 | RefusalType3 | RefusalType4 | RefusalType5]
    hourly_price: Money | None | Unset = UNSET
    site: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.refusal_type_0 import RefusalType0  # noqa: PLC0415
        from ..models.refusal_type_1 import RefusalType1  # noqa: PLC0415
        from ..models.refusal_type_2 import RefusalType2  # noqa: PLC0415
        from ..models.refusal_type_3 import RefusalType3  # noqa: PLC0415
        from ..models.refusal_type_4 import RefusalType4  # noqa: PLC0415

        admitted = self.admitted

        refusals = []
        for refusals_item_data in self.refusals:
            refusals_item: dict[str, Any]
            if isinstance(refusals_item_data, RefusalType0):
                refusals_item = refusals_item_data.to_dict()
            elif isinstance(refusals_item_data, RefusalType1):
                refusals_item = refusals_item_data.to_dict()
            elif isinstance(refusals_item_data, RefusalType2):
                refusals_item = refusals_item_data.to_dict()
            elif isinstance(refusals_item_data, RefusalType3):
                refusals_item = refusals_item_data.to_dict()
            elif isinstance(refusals_item_data, RefusalType4):
                refusals_item = refusals_item_data.to_dict()
            else:
                refusals_item = refusals_item_data.to_dict()

            refusals.append(refusals_item)

        hourly_price: dict[str, Any] | None | Unset
        if isinstance(self.hourly_price, Unset):
            hourly_price = UNSET
        elif isinstance(self.hourly_price, Money):
            hourly_price = self.hourly_price.to_dict()
        else:
            hourly_price = self.hourly_price

        site: None | str | Unset
        if isinstance(self.site, Unset):
            site = UNSET
        else:
            site = self.site

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "admitted": admitted,
                "refusals": refusals,
            }
        )
        if hourly_price is not UNSET:
            field_dict["hourly_price"] = hourly_price
        if site is not UNSET:
            field_dict["site"] = site

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.refusal_type_0 import RefusalType0  # noqa: PLC0415
        from ..models.refusal_type_1 import RefusalType1  # noqa: PLC0415
        from ..models.refusal_type_2 import RefusalType2  # noqa: PLC0415
        from ..models.refusal_type_3 import RefusalType3  # noqa: PLC0415
        from ..models.refusal_type_4 import RefusalType4  # noqa: PLC0415
        from ..models.refusal_type_5 import RefusalType5  # noqa: PLC0415

        d = dict(src_dict)
        admitted = d.pop("admitted")

        refusals = []
        _refusals = d.pop("refusals")
        for refusals_item_data in _refusals:

            def _parse_refusals_item(
                data: object,
            ) -> RefusalType0 | RefusalType1 | RefusalType2 | RefusalType3 | RefusalType4 | RefusalType5:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_refusal_type_0 = RefusalType0.from_dict(data)

                    return componentsschemas_refusal_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_refusal_type_1 = RefusalType1.from_dict(data)

                    return componentsschemas_refusal_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_refusal_type_2 = RefusalType2.from_dict(data)

                    return componentsschemas_refusal_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_refusal_type_3 = RefusalType3.from_dict(data)

                    return componentsschemas_refusal_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_refusal_type_4 = RefusalType4.from_dict(data)

                    return componentsschemas_refusal_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_refusal_type_5 = RefusalType5.from_dict(data)

                return componentsschemas_refusal_type_5

            refusals_item = _parse_refusals_item(refusals_item_data)

            refusals.append(refusals_item)

        def _parse_hourly_price(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                hourly_price_type_1 = Money.from_dict(data)

                return hourly_price_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        hourly_price = _parse_hourly_price(d.pop("hourly_price", UNSET))

        def _parse_site(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        site = _parse_site(d.pop("site", UNSET))

        admission_view = cls(
            admitted=admitted,
            refusals=refusals,
            hourly_price=hourly_price,
            site=site,
        )

        admission_view.additional_properties = d
        return admission_view

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
