from enum import StrEnum


class DecommissionMode(StrEnum):
    REMOVE = "remove"
    TAG = "tag"

    def __str__(self) -> str:
        return str(self.value)
