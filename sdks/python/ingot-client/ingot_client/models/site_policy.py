from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.decommission_mode import DecommissionMode
from ..models.erase_mode import EraseMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.maintenance_window import MaintenanceWindow


T = TypeVar("T", bound="SitePolicy")


@_attrs_define
class SitePolicy:
    """What the site lets the control plane do with its machines.

    Attributes:
        allowed_images (list[str] | Unset): Images tenants may deploy (`jammy`, `noble`); the first is the default.
        auto_commission (bool | Unset): Commission machines that appear NEW without an operator's word. Default: True.
        auto_repair (bool | Unset): Let reconciliation repair what it finds (release machines this control plane left
            deployed, power on a tenant's machine confirmed off, abort stuck operations); otherwise
            it only reports. Default: True.
        decommission (DecommissionMode | Unset): What decommissioning does with a machine in MAAS once it is erased.
            Default: DecommissionMode.TAG.
        erase_on_release (EraseMode | Unset): How disks are erased when a machine is released. Default: EraseMode.QUICK.
        maintenance_window (MaintenanceWindow | None | Unset):
        max_concurrent_deploys (int | Unset): Deployments running at once at this site; more wait their turn. Default:
            8.
        pool (None | str | Unset): Only machines in this resource pool belong to the site (all pools when absent).
        transitional_timeout_minutes (int | Unset): How long a machine may stay commissioning, deploying, releasing or
            erasing before it
            counts as stuck. Default: 45.
        zone (None | str | Unset): Only machines in this zone belong to the site (all zones when absent).
    """

    allowed_images: list[str] | Unset = UNSET
    auto_commission: bool | Unset = True
    auto_repair: bool | Unset = True
    decommission: DecommissionMode | Unset = DecommissionMode.TAG
    erase_on_release: EraseMode | Unset = EraseMode.QUICK
    maintenance_window: MaintenanceWindow | None | Unset = UNSET
    max_concurrent_deploys: int | Unset = 8
    pool: None | str | Unset = UNSET
    transitional_timeout_minutes: int | Unset = 45
    zone: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.maintenance_window import MaintenanceWindow  # noqa: PLC0415

        allowed_images: list[str] | Unset = UNSET
        if not isinstance(self.allowed_images, Unset):
            allowed_images = self.allowed_images

        auto_commission = self.auto_commission

        auto_repair = self.auto_repair

        decommission: str | Unset = UNSET
        if not isinstance(self.decommission, Unset):
            decommission = self.decommission.value

        erase_on_release: str | Unset = UNSET
        if not isinstance(self.erase_on_release, Unset):
            erase_on_release = self.erase_on_release.value

        maintenance_window: dict[str, Any] | None | Unset
        if isinstance(self.maintenance_window, Unset):
            maintenance_window = UNSET
        elif isinstance(self.maintenance_window, MaintenanceWindow):
            maintenance_window = self.maintenance_window.to_dict()
        else:
            maintenance_window = self.maintenance_window

        max_concurrent_deploys = self.max_concurrent_deploys

        pool: None | str | Unset
        if isinstance(self.pool, Unset):
            pool = UNSET
        else:
            pool = self.pool

        transitional_timeout_minutes = self.transitional_timeout_minutes

        zone: None | str | Unset
        if isinstance(self.zone, Unset):
            zone = UNSET
        else:
            zone = self.zone

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if allowed_images is not UNSET:
            field_dict["allowed_images"] = allowed_images
        if auto_commission is not UNSET:
            field_dict["auto_commission"] = auto_commission
        if auto_repair is not UNSET:
            field_dict["auto_repair"] = auto_repair
        if decommission is not UNSET:
            field_dict["decommission"] = decommission
        if erase_on_release is not UNSET:
            field_dict["erase_on_release"] = erase_on_release
        if maintenance_window is not UNSET:
            field_dict["maintenance_window"] = maintenance_window
        if max_concurrent_deploys is not UNSET:
            field_dict["max_concurrent_deploys"] = max_concurrent_deploys
        if pool is not UNSET:
            field_dict["pool"] = pool
        if transitional_timeout_minutes is not UNSET:
            field_dict["transitional_timeout_minutes"] = transitional_timeout_minutes
        if zone is not UNSET:
            field_dict["zone"] = zone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.maintenance_window import MaintenanceWindow  # noqa: PLC0415

        d = dict(src_dict)
        allowed_images = cast(list[str], d.pop("allowed_images", UNSET))

        auto_commission = d.pop("auto_commission", UNSET)

        auto_repair = d.pop("auto_repair", UNSET)

        _decommission = d.pop("decommission", UNSET)
        decommission: DecommissionMode | Unset
        if isinstance(_decommission, Unset):
            decommission = UNSET
        else:
            decommission = DecommissionMode(_decommission)

        _erase_on_release = d.pop("erase_on_release", UNSET)
        erase_on_release: EraseMode | Unset
        if isinstance(_erase_on_release, Unset):
            erase_on_release = UNSET
        else:
            erase_on_release = EraseMode(_erase_on_release)

        def _parse_maintenance_window(data: object) -> MaintenanceWindow | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                maintenance_window_type_1 = MaintenanceWindow.from_dict(data)

                return maintenance_window_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MaintenanceWindow | None | Unset, data)

        maintenance_window = _parse_maintenance_window(d.pop("maintenance_window", UNSET))

        max_concurrent_deploys = d.pop("max_concurrent_deploys", UNSET)

        def _parse_pool(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pool = _parse_pool(d.pop("pool", UNSET))

        transitional_timeout_minutes = d.pop("transitional_timeout_minutes", UNSET)

        def _parse_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        zone = _parse_zone(d.pop("zone", UNSET))

        site_policy = cls(
            allowed_images=allowed_images,
            auto_commission=auto_commission,
            auto_repair=auto_repair,
            decommission=decommission,
            erase_on_release=erase_on_release,
            maintenance_window=maintenance_window,
            max_concurrent_deploys=max_concurrent_deploys,
            pool=pool,
            transitional_timeout_minutes=transitional_timeout_minutes,
            zone=zone,
        )

        return site_policy
