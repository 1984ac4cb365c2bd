from enum import StrEnum


class HealthAction(StrEnum):
    INFORMATIONAL = "informational"
    PREVENTS_ALLOCATION = "prevents_allocation"
    SUPPRESSES_ALERTING = "suppresses_alerting"

    def __str__(self) -> str:
        return str(self.value)
