from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.interconnect import Interconnect
from ..types import UNSET, Unset

T = TypeVar("T", bound="SkuConstraints")


@_attrs_define
class SkuConstraints:
    """What a SKU demands of a node. Machines are sold whole, so the GPU model and count are exact;
    cores, RAM and storage are minimums.

        Attributes:
            cores_min (int | Unset):
            gpu_count (int | Unset): Exact number of GPUs (0 for CPU-only).
            gpu_model (None | str | Unset): Exact GPU model; absent for CPU-only SKUs, which then require no GPU at all.
            interconnect (Interconnect | None | Unset):
            ram_min_mib (int | Unset):
            storage_min_gib (int | Unset):
    """

    cores_min: int | Unset = UNSET
    gpu_count: int | Unset = UNSET
    gpu_model: None | str | Unset = UNSET
    interconnect: Interconnect | None | Unset = UNSET
    ram_min_mib: int | Unset = UNSET
    storage_min_gib: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        cores_min = self.cores_min

        gpu_count = self.gpu_count

        gpu_model: None | str | Unset
        if isinstance(self.gpu_model, Unset):
            gpu_model = UNSET
        else:
            gpu_model = self.gpu_model

        interconnect: None | str | Unset
        if isinstance(self.interconnect, Unset):
            interconnect = UNSET
        elif isinstance(self.interconnect, Interconnect):
            interconnect = self.interconnect.value
        else:
            interconnect = self.interconnect

        ram_min_mib = self.ram_min_mib

        storage_min_gib = self.storage_min_gib

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if cores_min is not UNSET:
            field_dict["cores_min"] = cores_min
        if gpu_count is not UNSET:
            field_dict["gpu_count"] = gpu_count
        if gpu_model is not UNSET:
            field_dict["gpu_model"] = gpu_model
        if interconnect is not UNSET:
            field_dict["interconnect"] = interconnect
        if ram_min_mib is not UNSET:
            field_dict["ram_min_mib"] = ram_min_mib
        if storage_min_gib is not UNSET:
            field_dict["storage_min_gib"] = storage_min_gib

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cores_min = d.pop("cores_min", UNSET)

        gpu_count = d.pop("gpu_count", UNSET)

        def _parse_gpu_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gpu_model = _parse_gpu_model(d.pop("gpu_model", UNSET))

        def _parse_interconnect(data: object) -> Interconnect | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                interconnect_type_1 = Interconnect(data)

                return interconnect_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Interconnect | None | Unset, data)

        interconnect = _parse_interconnect(d.pop("interconnect", UNSET))

        ram_min_mib = d.pop("ram_min_mib", UNSET)

        storage_min_gib = d.pop("storage_min_gib", UNSET)

        sku_constraints = cls(
            cores_min=cores_min,
            gpu_count=gpu_count,
            gpu_model=gpu_model,
            interconnect=interconnect,
            ram_min_mib=ram_min_mib,
            storage_min_gib=storage_min_gib,
        )

        return sku_constraints
