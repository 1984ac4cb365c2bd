from enum import StrEnum


class CacheOutcome(StrEnum):
    HIT = "hit"
    MISS = "miss"
    OFF = "off"
    UNAVAILABLE = "unavailable"

    def __str__(self) -> str:
        return str(self.value)
