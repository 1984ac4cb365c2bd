from enum import StrEnum


class ClusterState(StrEnum):
    ACTIVE = "active"
    DEGRADED = "degraded"
    DELETED = "deleted"
    DELETING = "deleting"
    PROVISIONING = "provisioning"

    def __str__(self) -> str:
        return str(self.value)
