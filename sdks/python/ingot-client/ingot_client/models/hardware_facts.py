from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.interconnect import Interconnect
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cpu import Cpu
    from ..models.disk import Disk
    from ..models.gpu import Gpu
    from ..models.nic import Nic


T = TypeVar("T", bound="HardwareFacts")


@_attrs_define
class HardwareFacts:
    """A node's hardware, as discovered (by commissioning, or an operator's import).

    Attributes:
        cpu (Cpu):
        ram_mib (int):
        disks (list[Disk] | Unset):
        gpus (list[Gpu] | Unset):
        interconnects (list[Interconnect] | Unset):
        nics (list[Nic] | Unset):
    """

    cpu: Cpu
    ram_mib: int
    disks: list[Disk] | Unset = UNSET
    gpus: list[Gpu] | Unset = UNSET
    interconnects: list[Interconnect] | Unset = UNSET
    nics: list[Nic] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        cpu = self.cpu.to_dict()

        ram_mib = self.ram_mib

        disks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.disks, Unset):
            disks = []
            for disks_item_data in self.disks:
                disks_item = disks_item_data.to_dict()
                disks.append(disks_item)

        gpus: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.gpus, Unset):
            gpus = []
            for gpus_item_data in self.gpus:
                gpus_item = gpus_item_data.to_dict()
                gpus.append(gpus_item)

        interconnects: list[str] | Unset = UNSET
        if not isinstance(self.interconnects, Unset):
            interconnects = []
            for interconnects_item_data in self.interconnects:
                interconnects_item = interconnects_item_data.value
                interconnects.append(interconnects_item)

        nics: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.nics, Unset):
            nics = []
            for nics_item_data in self.nics:
                nics_item = nics_item_data.to_dict()
                nics.append(nics_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cpu": cpu,
                "ram_mib": ram_mib,
            }
        )
        if disks is not UNSET:
            field_dict["disks"] = disks
        if gpus is not UNSET:
            field_dict["gpus"] = gpus
        if interconnects is not UNSET:
            field_dict["interconnects"] = interconnects
        if nics is not UNSET:
            field_dict["nics"] = nics

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cpu import Cpu  # noqa: PLC0415
        from ..models.disk import Disk  # noqa: PLC0415
        from ..models.gpu import Gpu  # noqa: PLC0415
        from ..models.nic import Nic  # noqa: PLC0415

        d = dict(src_dict)
        cpu = Cpu.from_dict(d.pop("cpu"))

        ram_mib = d.pop("ram_mib")

        _disks = d.pop("disks", UNSET)
        disks: list[Disk] | Unset = UNSET
        if _disks is not UNSET:
            disks = []
            for disks_item_data in _disks:
                disks_item = Disk.from_dict(disks_item_data)

                disks.append(disks_item)

        _gpus = d.pop("gpus", UNSET)
        gpus: list[Gpu] | Unset = UNSET
        if _gpus is not UNSET:
            gpus = []
            for gpus_item_data in _gpus:
                gpus_item = Gpu.from_dict(gpus_item_data)

                gpus.append(gpus_item)

        _interconnects = d.pop("interconnects", UNSET)
        interconnects: list[Interconnect] | Unset = UNSET
        if _interconnects is not UNSET:
            interconnects = []
            for interconnects_item_data in _interconnects:
                interconnects_item = Interconnect(interconnects_item_data)

                interconnects.append(interconnects_item)

        _nics = d.pop("nics", UNSET)
        nics: list[Nic] | Unset = UNSET
        if _nics is not UNSET:
            nics = []
            for nics_item_data in _nics:
                nics_item = Nic.from_dict(nics_item_data)

                nics.append(nics_item)

        hardware_facts = cls(
            cpu=cpu,
            ram_mib=ram_mib,
            disks=disks,
            gpus=gpus,
            interconnects=interconnects,
            nics=nics,
        )

        return hardware_facts
