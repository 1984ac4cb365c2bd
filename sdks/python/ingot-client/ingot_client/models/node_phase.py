from enum import StrEnum


class NodePhase(StrEnum):
    ACTIVE = "active"
    DEPLOYING = "deploying"
    FAILED = "failed"
    RELEASED = "released"
    RELEASING = "releasing"

    def __str__(self) -> str:
        return str(self.value)
