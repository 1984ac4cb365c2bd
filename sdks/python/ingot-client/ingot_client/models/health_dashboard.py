from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.as_of import AsOf
    from ..models.consumer_lag import ConsumerLag
    from ..models.deploy_counts import DeployCounts
    from ..models.deploy_day import DeployDay
    from ..models.drift_count import DriftCount
    from ..models.node_since import NodeSince
    from ..models.onboarding_queue import OnboardingQueue


T = TypeVar("T", bound="HealthDashboard")


@_attrs_define
class HealthDashboard:
    """`GET /v1/admin/dashboards/health`.

    Attributes:
        as_of (AsOf): What an answer reflects: every event up to `position` of the event history (in commit
            order) that concerns it.
        controllers (list[ConsumerLag]): Each event consumer's distance behind the event history.
        deploys_24h (DeployCounts):
        deploys_by_day (list[DeployDay]):
        drift (list[DriftCount]): Drift found by reconciliation, per kind.
        onboarding (OnboardingQueue):
        quarantined (list[NodeSince]):
        stuck (list[NodeSince]): Nodes in a transitional phase past its time budget (onboarding 2 h, deploying 1 h).
    """

    as_of: AsOf
    controllers: list[ConsumerLag]
    deploys_24h: DeployCounts
    deploys_by_day: list[DeployDay]
    drift: list[DriftCount]
    onboarding: OnboardingQueue
    quarantined: list[NodeSince]
    stuck: list[NodeSince]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.to_dict()

        controllers = []
        for controllers_item_data in self.controllers:
            controllers_item = controllers_item_data.to_dict()
            controllers.append(controllers_item)

        deploys_24h = self.deploys_24h.to_dict()

        deploys_by_day = []
        for deploys_by_day_item_data in self.deploys_by_day:
            deploys_by_day_item = deploys_by_day_item_data.to_dict()
            deploys_by_day.append(deploys_by_day_item)

        drift = []
        for drift_item_data in self.drift:
            drift_item = drift_item_data.to_dict()
            drift.append(drift_item)

        onboarding = self.onboarding.to_dict()

        quarantined = []
        for quarantined_item_data in self.quarantined:
            quarantined_item = quarantined_item_data.to_dict()
            quarantined.append(quarantined_item)

        stuck = []
        for stuck_item_data in self.stuck:
            stuck_item = stuck_item_data.to_dict()
            stuck.append(stuck_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "controllers": controllers,
                "deploys_24h": deploys_24h,
                "deploys_by_day": deploys_by_day,
                "drift": drift,
                "onboarding": onboarding,
                "quarantined": quarantined,
                "stuck": stuck,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.as_of import AsOf  # noqa: PLC0415
        from ..models.consumer_lag import ConsumerLag  # noqa: PLC0415
        from ..models.deploy_counts import DeployCounts  # noqa: PLC0415
        from ..models.deploy_day import DeployDay  # noqa: PLC0415
        from ..models.drift_count import DriftCount  # noqa: PLC0415
        from ..models.node_since import NodeSince  # noqa: PLC0415
        from ..models.onboarding_queue import OnboardingQueue  # noqa: PLC0415

        d = dict(src_dict)
        as_of = AsOf.from_dict(d.pop("as_of"))

        controllers = []
        _controllers = d.pop("controllers")
        for controllers_item_data in _controllers:
            controllers_item = ConsumerLag.from_dict(controllers_item_data)

            controllers.append(controllers_item)

        deploys_24h = DeployCounts.from_dict(d.pop("deploys_24h"))

        deploys_by_day = []
        _deploys_by_day = d.pop("deploys_by_day")
        for deploys_by_day_item_data in _deploys_by_day:
            deploys_by_day_item = DeployDay.from_dict(deploys_by_day_item_data)

            deploys_by_day.append(deploys_by_day_item)

        drift = []
        _drift = d.pop("drift")
        for drift_item_data in _drift:
            drift_item = DriftCount.from_dict(drift_item_data)

            drift.append(drift_item)

        onboarding = OnboardingQueue.from_dict(d.pop("onboarding"))

        quarantined = []
        _quarantined = d.pop("quarantined")
        for quarantined_item_data in _quarantined:
            quarantined_item = NodeSince.from_dict(quarantined_item_data)

            quarantined.append(quarantined_item)

        stuck = []
        _stuck = d.pop("stuck")
        for stuck_item_data in _stuck:
            stuck_item = NodeSince.from_dict(stuck_item_data)

            stuck.append(stuck_item)

        health_dashboard = cls(
            as_of=as_of,
            controllers=controllers,
            deploys_24h=deploys_24h,
            deploys_by_day=deploys_by_day,
            drift=drift,
            onboarding=onboarding,
            quarantined=quarantined,
            stuck=stuck,
        )

        health_dashboard.additional_properties = d
        return health_dashboard

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
