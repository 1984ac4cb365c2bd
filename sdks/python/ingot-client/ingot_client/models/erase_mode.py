from enum import StrEnum


class EraseMode(StrEnum):
    NONE = "none"
    QUICK = "quick"
    SECURE = "secure"

    def __str__(self) -> str:
        return str(self.value)
