from enum import StrEnum


class UserDataKind(StrEnum):
    CLOUD_CONFIG = "cloud_config"
    SCRIPT = "script"

    def __str__(self) -> str:
        return str(self.value)
