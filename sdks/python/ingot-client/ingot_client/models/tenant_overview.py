from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.as_of import AsOf
    from ..models.balance_summary import BalanceSummary
    from ..models.day_amount import DayAmount
    from ..models.kyc_summary import KycSummary
    from ..models.money import Money
    from ..models.overview_allocation import OverviewAllocation
    from ..models.quota_use import QuotaUse
    from ..models.stopping_allocation import StoppingAllocation


T = TypeVar("T", bound="TenantOverview")


@_attrs_define
class TenantOverview:
    """`GET /v1/tenants/{tenant_id}/overview`.

    Attributes:
        allocations (list[OverviewAllocation]): Allocations not yet ended, newest first.
        as_of (AsOf): What an answer reflects: every event up to `position` of the event history (in commit
            order) that concerns it.
        burn_per_hour (Money):
        nodes_active (int):
        nodes_live (int): Nodes held by live allocations, and of those the ones deployed and metered.
        quotas (list[QuotaUse]):
        spend_by_day (list[DayAmount]): Usage charged per day, the last 30 days, oldest first (days with none included).
        spend_this_month (Money):
        stopping_first (list[StoppingAllocation]): Allocations whose funding runs out first, earliest deadline first (at
            most five).
        tenant_id (str): tenant id
        balance (BalanceSummary | None | Unset):
        kyc (KycSummary | None | Unset):
        runway_hours (int | None | Unset): Whole hours the balance (cash + promotional + credit limit) lasts at that
            rate; absent
            when nothing burns.
    """

    allocations: list[OverviewAllocation]
    as_of: AsOf
    burn_per_hour: Money
    nodes_active: int
    nodes_live: int
    quotas: list[QuotaUse]
    spend_by_day: list[DayAmount]
    spend_this_month: Money
    stopping_first: list[StoppingAllocation]
    tenant_id: str
    balance: BalanceSummary | None | Unset = UNSET
    kyc: KycSummary | None | Unset = UNSET
    runway_hours: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.balance_summary import BalanceSummary  # noqa: PLC0415
        from ..models.kyc_summary import KycSummary  # noqa: PLC0415

        allocations = []
        for allocations_item_data in self.allocations:
            allocations_item = allocations_item_data.to_dict()
            allocations.append(allocations_item)

        as_of = self.as_of.to_dict()

        burn_per_hour = self.burn_per_hour.to_dict()

        nodes_active = self.nodes_active

        nodes_live = self.nodes_live

        quotas = []
        for quotas_item_data in self.quotas:
            quotas_item = quotas_item_data.to_dict()
            quotas.append(quotas_item)

        spend_by_day = []
        for spend_by_day_item_data in self.spend_by_day:
            spend_by_day_item = spend_by_day_item_data.to_dict()
            spend_by_day.append(spend_by_day_item)

        spend_this_month = self.spend_this_month.to_dict()

        stopping_first = []
        for stopping_first_item_data in self.stopping_first:
            stopping_first_item = stopping_first_item_data.to_dict()
            stopping_first.append(stopping_first_item)

        tenant_id = self.tenant_id

        balance: dict[str, Any] | None | Unset
        if isinstance(self.balance, Unset):
            balance = UNSET
        elif isinstance(self.balance, BalanceSummary):
            balance = self.balance.to_dict()
        else:
            balance = self.balance

        kyc: dict[str, Any] | None | Unset
        if isinstance(self.kyc, Unset):
            kyc = UNSET
        elif isinstance(self.kyc, KycSummary):
            kyc = self.kyc.to_dict()
        else:
            kyc = self.kyc

        runway_hours: int | None | Unset
        if isinstance(self.runway_hours, Unset):
            runway_hours = UNSET
        else:
            runway_hours = self.runway_hours

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allocations": allocations,
                "as_of": as_of,
                "burn_per_hour": burn_per_hour,
                "nodes_active": nodes_active,
                "nodes_live": nodes_live,
                "quotas": quotas,
                "spend_by_day": spend_by_day,
                "spend_this_month": spend_this_month,
                "stopping_first": stopping_first,
                "tenant_id": tenant_id,
            }
        )
        if balance is not UNSET:
            field_dict["balance"] = balance
        if kyc is not UNSET:
            field_dict["kyc"] = kyc
        if runway_hours is not UNSET:
            field_dict["runway_hours"] = runway_hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.as_of import AsOf  # noqa: PLC0415
        from ..models.balance_summary import BalanceSummary  # noqa: PLC0415
        from ..models.day_amount import DayAmount  # noqa: PLC0415
        from ..models.kyc_summary import KycSummary  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415
        from ..models.overview_allocation import OverviewAllocation  # noqa: PLC0415
        from ..models.quota_use import QuotaUse  # noqa: PLC0415
        from ..models.stopping_allocation import StoppingAllocation  # noqa: PLC0415

        d = dict(src_dict)
        allocations = []
        _allocations = d.pop("allocations")
        for allocations_item_data in _allocations:
            allocations_item = OverviewAllocation.from_dict(allocations_item_data)

            allocations.append(allocations_item)

        as_of = AsOf.from_dict(d.pop("as_of"))

        burn_per_hour = Money.from_dict(d.pop("burn_per_hour"))

        nodes_active = d.pop("nodes_active")

        nodes_live = d.pop("nodes_live")

        quotas = []
        _quotas = d.pop("quotas")
        for quotas_item_data in _quotas:
            quotas_item = QuotaUse.from_dict(quotas_item_data)

            quotas.append(quotas_item)

        spend_by_day = []
        _spend_by_day = d.pop("spend_by_day")
        for spend_by_day_item_data in _spend_by_day:
            spend_by_day_item = DayAmount.from_dict(spend_by_day_item_data)

            spend_by_day.append(spend_by_day_item)

        spend_this_month = Money.from_dict(d.pop("spend_this_month"))

        stopping_first = []
        _stopping_first = d.pop("stopping_first")
        for stopping_first_item_data in _stopping_first:
            stopping_first_item = StoppingAllocation.from_dict(stopping_first_item_data)

            stopping_first.append(stopping_first_item)

        tenant_id = d.pop("tenant_id")

        def _parse_balance(data: object) -> BalanceSummary | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                balance_type_1 = BalanceSummary.from_dict(data)

                return balance_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BalanceSummary | None | Unset, data)

        balance = _parse_balance(d.pop("balance", UNSET))

        def _parse_kyc(data: object) -> KycSummary | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                kyc_type_1 = KycSummary.from_dict(data)

                return kyc_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KycSummary | None | Unset, data)

        kyc = _parse_kyc(d.pop("kyc", UNSET))

        def _parse_runway_hours(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        runway_hours = _parse_runway_hours(d.pop("runway_hours", UNSET))

        tenant_overview = cls(
            allocations=allocations,
            as_of=as_of,
            burn_per_hour=burn_per_hour,
            nodes_active=nodes_active,
            nodes_live=nodes_live,
            quotas=quotas,
            spend_by_day=spend_by_day,
            spend_this_month=spend_this_month,
            stopping_first=stopping_first,
            tenant_id=tenant_id,
            balance=balance,
            kyc=kyc,
            runway_hours=runway_hours,
        )

        tenant_overview.additional_properties = d
        return tenant_overview

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
