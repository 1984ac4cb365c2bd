from enum import StrEnum


class RefusalType4Reason(StrEnum):
    CAPACITY = "capacity"

    def __str__(self) -> str:
        return str(self.value)
