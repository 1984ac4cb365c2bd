from enum import StrEnum


class NodeState(StrEnum):
    AVAILABLE = "available"
    DECOMMISSIONING = "decommissioning"
    MAINTENANCE = "maintenance"
    ONBOARDING = "onboarding"
    QUARANTINED = "quarantined"
    RETIRED = "retired"

    def __str__(self) -> str:
        return str(self.value)
