from enum import StrEnum


class KycLevel(StrEnum):
    BASIC = "basic"
    FULL = "full"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
