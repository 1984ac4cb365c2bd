from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.erasure_record import ErasureRecord


T = TypeVar("T", bound="Handover")


@_attrs_define
class Handover:
    """What the tenant is told about the node it was handed.

    Attributes:
        image (str):
        billing_started_at (datetime.datetime | None | Unset):
        billing_stopped_at (datetime.datetime | None | Unset):
        deploy_started_at (datetime.datetime | None | Unset):
        deployed_at (datetime.datetime | None | Unset):
        previous_erasure (ErasureRecord | None | Unset):
    """

    image: str
    billing_started_at: datetime.datetime | None | Unset = UNSET
    billing_stopped_at: datetime.datetime | None | Unset = UNSET
    deploy_started_at: datetime.datetime | None | Unset = UNSET
    deployed_at: datetime.datetime | None | Unset = UNSET
    previous_erasure: ErasureRecord | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.erasure_record import ErasureRecord  # noqa: PLC0415

        image = self.image

        billing_started_at: None | str | Unset
        if isinstance(self.billing_started_at, Unset):
            billing_started_at = UNSET
        elif isinstance(self.billing_started_at, datetime.datetime):
            billing_started_at = self.billing_started_at.isoformat()
        else:
            billing_started_at = self.billing_started_at

        billing_stopped_at: None | str | Unset
        if isinstance(self.billing_stopped_at, Unset):
            billing_stopped_at = UNSET
        elif isinstance(self.billing_stopped_at, datetime.datetime):
            billing_stopped_at = self.billing_stopped_at.isoformat()
        else:
            billing_stopped_at = self.billing_stopped_at

        deploy_started_at: None | str | Unset
        if isinstance(self.deploy_started_at, Unset):
            deploy_started_at = UNSET
        elif isinstance(self.deploy_started_at, datetime.datetime):
            deploy_started_at = self.deploy_started_at.isoformat()
        else:
            deploy_started_at = self.deploy_started_at

        deployed_at: None | str | Unset
        if isinstance(self.deployed_at, Unset):
            deployed_at = UNSET
        elif isinstance(self.deployed_at, datetime.datetime):
            deployed_at = self.deployed_at.isoformat()
        else:
            deployed_at = self.deployed_at

        previous_erasure: dict[str, Any] | None | Unset
        if isinstance(self.previous_erasure, Unset):
            previous_erasure = UNSET
        elif isinstance(self.previous_erasure, ErasureRecord):
            previous_erasure = self.previous_erasure.to_dict()
        else:
            previous_erasure = self.previous_erasure

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "image": image,
            }
        )
        if billing_started_at is not UNSET:
            field_dict["billing_started_at"] = billing_started_at
        if billing_stopped_at is not UNSET:
            field_dict["billing_stopped_at"] = billing_stopped_at
        if deploy_started_at is not UNSET:
            field_dict["deploy_started_at"] = deploy_started_at
        if deployed_at is not UNSET:
            field_dict["deployed_at"] = deployed_at
        if previous_erasure is not UNSET:
            field_dict["previous_erasure"] = previous_erasure

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.erasure_record import ErasureRecord  # noqa: PLC0415

        d = dict(src_dict)
        image = d.pop("image")

        def _parse_billing_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                billing_started_at_type_1 = datetime.datetime.fromisoformat(data)

                return billing_started_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        billing_started_at = _parse_billing_started_at(d.pop("billing_started_at", UNSET))

        def _parse_billing_stopped_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                billing_stopped_at_type_1 = datetime.datetime.fromisoformat(data)

                return billing_stopped_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        billing_stopped_at = _parse_billing_stopped_at(d.pop("billing_stopped_at", UNSET))

        def _parse_deploy_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deploy_started_at_type_1 = datetime.datetime.fromisoformat(data)

                return deploy_started_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deploy_started_at = _parse_deploy_started_at(d.pop("deploy_started_at", UNSET))

        def _parse_deployed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deployed_at_type_1 = datetime.datetime.fromisoformat(data)

                return deployed_at_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deployed_at = _parse_deployed_at(d.pop("deployed_at", UNSET))

        def _parse_previous_erasure(data: object) -> ErasureRecord | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                previous_erasure_type_1 = ErasureRecord.from_dict(data)

                return previous_erasure_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErasureRecord | None | Unset, data)

        previous_erasure = _parse_previous_erasure(d.pop("previous_erasure", UNSET))

        handover = cls(
            image=image,
            billing_started_at=billing_started_at,
            billing_stopped_at=billing_stopped_at,
            deploy_started_at=deploy_started_at,
            deployed_at=deployed_at,
            previous_erasure=previous_erasure,
        )

        handover.additional_properties = d
        return handover

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
