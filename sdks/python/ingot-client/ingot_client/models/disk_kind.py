from enum import StrEnum


class DiskKind(StrEnum):
    HDD = "hdd"
    NVME = "nvme"
    SSD = "ssd"

    def __str__(self) -> str:
        return str(self.value)
