from enum import StrEnum


class RefusalType2Reason(StrEnum):
    QUOTA = "quota"

    def __str__(self) -> str:
        return str(self.value)
