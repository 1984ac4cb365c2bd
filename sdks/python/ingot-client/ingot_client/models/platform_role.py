from enum import StrEnum


class PlatformRole(StrEnum):
    FINANCE = "finance"
    OPERATOR = "operator"
    PLATFORM_ADMIN = "platform_admin"
    SECURITY = "security"
    SUPPORT = "support"

    def __str__(self) -> str:
        return str(self.value)
