from enum import StrEnum


class SiteStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    DRAINING = "draining"
    PLANNED = "planned"

    def __str__(self) -> str:
        return str(self.value)
