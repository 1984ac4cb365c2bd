from enum import StrEnum


class PlacementPolicy(StrEnum):
    ANY = "any"
    SAME_FABRIC = "same_fabric"

    def __str__(self) -> str:
        return str(self.value)
