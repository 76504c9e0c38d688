"""The BeNext integration: a zero-energy home's meters, read locally over its buses."""

from __future__ import annotations

import asyncio

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .coordinator import HELD_TOTAL_ISSUE
from .derived_energy import async_remove_derived_energy
from .energy_issue import async_delete_energy_issues, async_track_energy_offer
from .entity import hub_device_info
from .entry_issues import async_forget_entry_issues
from .installation_validation import InstallationValidation
from .meter_buses import METER_BUSES
from .runtime import BeNextConfigEntry, BeNextRuntimeData, EntrySettings
from .services import async_setup_services
from .validation_issues import VALIDATION_ISSUE
from .validation_store import ValidationStore

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.SENSOR,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions, whether or not an installation is loaded."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: BeNextConfigEntry) -> bool:
    """Set up an installation from a config entry."""
    # Totals are checked afresh from their restored floors.
    async_forget_entry_issues(hass, entry, HELD_TOTAL_ISSUE)
    coordinators = {
        meter_bus.bus: await meter_bus.async_setup_coordinator(hass, entry, connection)
        for meter_bus in METER_BUSES.values()
        if (connection := meter_bus.configured_connection(entry)) is not None
    }
    settings = EntrySettings(entry)

    await asyncio.gather(*(coordinator.async_refresh() for coordinator in coordinators.values()))
    # A push bus cannot be checked before its first telegram: only the buses we reach
    # out to decide whether the installation can start at all. Unloading stops the buses.
    checked = [c for c in coordinators.values() if not c.connection.is_push]
    if checked and not any(c.last_update_success for c in checked):
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="no_bus_reachable",
            translation_placeholders={"buses": ", ".join(c.bus.label for c in checked)},
        )

    hub_device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **hub_device_info(entry)
    )
    validation = InstallationValidation(hass, entry)
    await validation.async_load()
    entry.runtime_data = BeNextRuntimeData(
        buses=coordinators, device_id=hub_device.id, settings=settings, validation=validation
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    for bus, coordinator in coordinators.items():
        await METER_BUSES[bus].async_start(hass, entry, coordinator)
    entry.async_on_unload(validation.async_start())
    entry.async_on_unload(async_track_energy_offer(hass, entry))
    entry.async_on_unload(entry.add_update_listener(_async_reload_if_changed))
    if settings.changed(entry):
        # Meters were added while the buses were first read.
        hass.config_entries.async_schedule_reload(entry.entry_id)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: BeNextConfigEntry) -> bool:
    """Unload an installation: its platforms, every bus task, and its validation's issues."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.validation.async_stop()
        async_forget_entry_issues(hass, entry, VALIDATION_ISSUE)
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: BeNextConfigEntry) -> None:
    """Forget what a deleted installation kept: validation, derived energy, Energy offer."""
    async_delete_energy_issues(hass, entry.entry_id)
    await ValidationStore(hass, entry.entry_id).async_remove()
    await async_remove_derived_energy(hass, entry.entry_id)


async def _async_reload_if_changed(hass: HomeAssistant, entry: BeNextConfigEntry) -> None:
    # Added, changed or removed meters, bus settings and options take effect through a
    # reload; a replaced meter's new serial number, stored by its bus, needs none.
    if entry.runtime_data.settings.changed(entry):
        await hass.config_entries.async_reload(entry.entry_id)
