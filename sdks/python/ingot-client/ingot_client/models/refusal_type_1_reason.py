from enum import StrEnum


class RefusalType1Reason(StrEnum):
    KYC_NODE_LIMIT = "kyc_node_limit"

    def __str__(self) -> str:
        return str(self.value)
