from enum import StrEnum


class RefusalType0Reason(StrEnum):
    KYC_SKU = "kyc_sku"

    def __str__(self) -> str:
        return str(self.value)
