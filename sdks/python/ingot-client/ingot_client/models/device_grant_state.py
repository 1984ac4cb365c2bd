from enum import StrEnum


class DeviceGrantState(StrEnum):
    APPROVED = "approved"
    DENIED = "denied"
    ISSUED = "issued"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
