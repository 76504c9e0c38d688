"""Base entities of the BeNext integration: the hub's and a meter's."""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.config_entries import ConfigSubentry
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .bus.wmbus.drivers import driver_info
from .const import DOMAIN, SUBENTRY_KWH_METER, SUBENTRY_SMART_METER, SUBENTRY_WMBUS_METER
from .coordinator import BusCoordinator
from .modbus.settings import ModbusMeterSettings
from .p1.settings import P1MeterSettings
from .runtime import BeNextConfigEntry
from .wmbus.settings import WmbusMeterSettings


def hub_device_info(entry: BeNextConfigEntry) -> DeviceInfo:
    """The device of the installation itself."""
    return DeviceInfo(identifiers={(DOMAIN, entry.entry_id)}, name=entry.title)


class BeNextHubEntity(Entity):
    """An entity of the installation's hub device, updated whenever one of its buses is.

    It stays available: it reports the buses' state, including a bus that is down.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: BeNextConfigEntry, key: str, buses: Iterable[BusCoordinator]) -> None:
        """Initialize the entity on the hub device."""
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_device_info = hub_device_info(entry)
        self._buses = tuple(buses)

    async def async_added_to_hass(self) -> None:
        """Follow the buses the entity reports on."""
        await super().async_added_to_hass()
        for coordinator in self._buses:
            self.async_on_remove(coordinator.async_add_listener(self.async_write_ha_state))


class BeNextMeterEntity[CoordinatorT: BusCoordinator](CoordinatorEntity[CoordinatorT]):
    """An entity of one meter, which is a subentry of the installation."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: CoordinatorT,
        entry: BeNextConfigEntry,
        subentry: ConfigSubentry,
        key: str,
        device_info: DeviceInfo | None = None,
    ) -> None:
        """Initialize the entity on the meter's device (its info, if already built)."""
        super().__init__(coordinator)
        self.subentry_id = subentry.subentry_id
        self._attr_unique_id = f"{subentry.subentry_id}_{key}"
        self._attr_device_info = device_info or meter_device_info(entry, subentry)


def meter_device_info(entry: BeNextConfigEntry, subentry: ConfigSubentry) -> DeviceInfo:
    """The device of one meter: its label's manufacturer and model, and its serial number."""
    info = DeviceInfo(
        identifiers={(DOMAIN, subentry.subentry_id)},
        name=subentry.title,
        via_device_id=entry.runtime_data.device_id,
    )
    if subentry.subentry_type == SUBENTRY_KWH_METER:
        settings = ModbusMeterSettings.from_subentry(subentry)
        info["manufacturer"] = settings.manufacturer
        info["model"] = settings.model_name
        info["serial_number"] = settings.serial
    elif subentry.subentry_type == SUBENTRY_SMART_METER:
        meter = P1MeterSettings.from_subentry(subentry)
        info["manufacturer"] = meter.manufacturer
        info["model"] = meter.model
        info["serial_number"] = meter.serial
        if meter.version is not None:
            info["hw_version"] = f"DSMR {meter.version.value}"
    elif subentry.subentry_type == SUBENTRY_WMBUS_METER:
        wmbus = WmbusMeterSettings.from_subentry(subentry)
        driver = driver_info(wmbus.effective_driver)
        info["manufacturer"] = driver.manufacturer
        info["model"] = driver.model
        info["model_id"] = driver.driver
        info["serial_number"] = wmbus.meter_id
    return info
