from enum import StrEnum


class RefusalType3Reason(StrEnum):
    RUNWAY = "runway"

    def __str__(self) -> str:
        return str(self.value)
