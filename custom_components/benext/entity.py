"""Base entities of the BeNext integration: the hub's and a meter's."""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import callback
from homeassistant.helpers.device_registry import ChildDeviceInfo, DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, HUB_MANUFACTURER, HUB_MODEL
from .coordinator import BusCoordinator, MeterReading
from .runtime import BeNextConfigEntry


def hub_device_info(entry: BeNextConfigEntry) -> DeviceInfo:
    """The device of the installation itself: the home, as the BeNext gateway stands for it."""
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer=HUB_MANUFACTURER,
        model=HUB_MODEL,
    )


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
        subentry: ConfigSubentry,
        key: str,
        device_info: DeviceInfo | None,
    ) -> None:
        """Initialize the entity on the meter's device.

        Its bus builds the device's info; without one, the coordinator describes the
        device when Home Assistant asks (`BusCoordinator.meter_device_info`).
        """
        super().__init__(coordinator)
        self.subentry_id = subentry.subentry_id
        self._attr_unique_id = f"{subentry.subentry_id}_{key}"
        if device_info is not None:
            self._attr_device_info = device_info

    @property
    def device_info(self) -> DeviceInfo | ChildDeviceInfo | None:
        """The meter's device: Home Assistant asks as it adds the entity."""
        return self._attr_device_info or self.coordinator.meter_device_info(self.subentry_id)


class MeterReadingFollower[CoordinatorT: BusCoordinator](BeNextMeterEntity[CoordinatorT]):
    """An entity of a meter that is handed each of the meter's readings while it exists."""

    async def async_added_to_hass(self) -> None:
        """Follow the meter's readings."""
        await super().async_added_to_hass()
        self.coordinator.async_follow_readings(self.subentry_id, self)

    async def async_will_remove_from_hass(self) -> None:
        """Stop following the meter's readings."""
        self.coordinator.async_unfollow_readings(self.subentry_id, self)
        await super().async_will_remove_from_hass()

    @callback
    def async_handle_reading(self, reading: MeterReading) -> None:
        """Take a reading of the meter that was just published."""
        raise NotImplementedError


class MeterReadingEntity[CoordinatorT: BusCoordinator](MeterReadingFollower[CoordinatorT]):
    """An entity that shows what its meter's readings say, written only when that changes.

    The bus's own updates (every 30 s, or each poll) only matter to it when they change
    whether the meter is available.
    """

    _was_available: bool | None = None

    async def async_added_to_hass(self) -> None:
        """Follow the meter's readings, and show the last one if there is one."""
        await super().async_added_to_hass()
        if (reading := self.coordinator.readings.get(self.subentry_id)) is not None:
            self._update_from_reading(reading)

    def _update_from_reading(self, reading: MeterReading) -> bool:
        """Take the meter's reading; whether what the entity shows changed and is due."""
        raise NotImplementedError

    @callback
    def async_handle_reading(self, reading: MeterReading) -> None:
        """Show the meter's new reading, if it changes what the entity shows."""
        if self._update_from_reading(reading):
            # A first value makes the entity available: the bus's updates need not repeat it.
            self._was_available = self.available
            self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        if self.available != self._was_available:
            self._was_available = self.available
            self.async_write_ha_state()

    @property
    def available(self) -> bool:
        """Available while the bus says the meter's values can be trusted."""
        return self.coordinator.meter_available(self.subentry_id)


def meter_device(entry: BeNextConfigEntry, subentry: ConfigSubentry) -> DeviceInfo:
    """What every meter's device has: its subentry, its title, and the hub it is reached via."""
    return DeviceInfo(
        identifiers={(DOMAIN, subentry.subentry_id)},
        name=subentry.title,
        via_device_id=entry.runtime_data.device_id,
    )
