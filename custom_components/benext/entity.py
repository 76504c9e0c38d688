"""Base entities of the BeNext integration: the hub's and a meter's."""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.config_entries import ConfigSubentry
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import BusCoordinator
from .runtime import BeNextConfigEntry


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
        subentry: ConfigSubentry,
        key: str,
        device_info: DeviceInfo,
    ) -> None:
        """Initialize the entity on the meter's device (its bus builds the device's info)."""
        super().__init__(coordinator)
        self.subentry_id = subentry.subentry_id
        self._attr_unique_id = f"{subentry.subentry_id}_{key}"
        self._attr_device_info = device_info


def meter_device(entry: BeNextConfigEntry, subentry: ConfigSubentry) -> DeviceInfo:
    """What every meter's device has: its subentry, its title, and the hub it is reached via."""
    return DeviceInfo(
        identifiers={(DOMAIN, subentry.subentry_id)},
        name=subentry.title,
        via_device_id=entry.runtime_data.device_id,
    )
