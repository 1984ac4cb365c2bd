from enum import StrEnum


class KycState(StrEnum):
    REJECTED = "rejected"
    REVOKED = "revoked"
    SUBMITTED = "submitted"
    UNVERIFIED = "unverified"
    VERIFIED = "verified"

    def __str__(self) -> str:
        return str(self.value)
