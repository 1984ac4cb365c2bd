from enum import StrEnum


class AllocationState(StrEnum):
    ACTIVE = "active"
    FAILED = "failed"
    PENDING = "pending"
    PROVISIONING = "provisioning"
    RELEASED = "released"
    RELEASING = "releasing"

    def __str__(self) -> str:
        return str(self.value)
