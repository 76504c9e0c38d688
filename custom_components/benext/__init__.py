"""The BeNext integration: a zero-energy home's meters, read locally over its buses."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr

from .bus.connection import Bus
from .const import DOMAIN, REACHABILITY_INTERVAL
from .coordinator import BusCoordinator
from .entity import hub_device_info
from .hub import BeNextConfigEntry, BeNextHub, configured_buses, modbus_poll_interval

PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.SENSOR]


async def async_setup_entry(hass: HomeAssistant, entry: BeNextConfigEntry) -> bool:
    """Set up an installation from a config entry."""
    coordinators: dict[Bus, BusCoordinator] = {}
    for bus, connection in configured_buses(entry.data).items():
        interval = (
            timedelta(seconds=modbus_poll_interval(entry))
            if bus is Bus.MODBUS
            else REACHABILITY_INTERVAL
        )
        coordinators[bus] = BusCoordinator(hass, entry, connection, interval)

    await asyncio.gather(*(coordinator.async_refresh() for coordinator in coordinators.values()))
    # A push bus cannot be checked before its first telegram: only the buses we reach
    # out to decide whether the installation can start at all.
    checked = [c for c in coordinators.values() if not c.connection.is_push]
    if checked and not any(c.last_update_success for c in checked):
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="no_bus_reachable",
            translation_placeholders={"buses": ", ".join(c.bus.value for c in checked)},
        )

    hub_device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **hub_device_info(entry)
    )
    entry.runtime_data = BeNextHub(buses=coordinators, device_id=hub_device.id)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # Added, changed or removed meters and changed bus settings or options take
    # effect through a reload.
    entry.async_on_unload(entry.add_update_listener(_async_reload_entry))
    return True


async def async_unload_entry(hass: HomeAssistant, entry: BeNextConfigEntry) -> bool:
    """Unload an installation: its platforms, and with them every bus task."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _async_reload_entry(hass: HomeAssistant, entry: BeNextConfigEntry) -> None:
    await hass.config_entries.async_reload(entry.entry_id)
