from enum import StrEnum


class RefusalType5Reason(StrEnum):
    PLACEMENT = "placement"

    def __str__(self) -> str:
        return str(self.value)
