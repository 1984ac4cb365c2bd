from enum import StrEnum


class Severity(StrEnum):
    SEV_1 = "SEV-1"
    SEV_2 = "SEV-2"

    def __str__(self) -> str:
        return str(self.value)
