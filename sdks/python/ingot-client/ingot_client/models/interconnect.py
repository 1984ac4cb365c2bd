from enum import StrEnum


class Interconnect(StrEnum):
    INFINIBAND = "infiniband"
    NVLINK = "nvlink"
    ROCE = "roce"

    def __str__(self) -> str:
        return str(self.value)
