"""The BeNext integration: a zero-energy home's meters, read locally over its buses."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr

from .bus.connection import Bus, BusConnection
from .bus.modbus.client import ModbusBusClient
from .bus.p1.reading import P1Reading
from .const import (
    CONF_DETECTED_DRIVER,
    CONF_FIELDS,
    CONF_SERIAL,
    DOMAIN,
    SUBENTRY_KWH_METER,
    SUBENTRY_SMART_METER,
)
from .coordinator import BusCoordinator
from .entity import hub_device_info
from .modbus.coordinator import ModbusCoordinator
from .modbus.settings import polled_meter
from .p1.coordinator import P1Coordinator
from .p1.settings import P1MeterSettings
from .runtime import (
    BeNextConfigEntry,
    BeNextRuntimeData,
    configured_buses,
    modbus_failed_polls,
    modbus_poll_interval,
    p1_intervals,
)
from .wmbus.setup import async_ensure_webhook_id, async_start_wmbus, wmbus_coordinator

PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]


async def async_setup_entry(hass: HomeAssistant, entry: BeNextConfigEntry) -> bool:
    """Set up an installation from a config entry."""
    async_ensure_webhook_id(hass, entry)
    settings = _settings(entry)
    coordinators = {
        bus: await _async_bus_coordinator(hass, entry, bus, connection)
        for bus, connection in configured_buses(entry.data).items()
    }

    await asyncio.gather(*(coordinator.async_refresh() for coordinator in coordinators.values()))
    # A push bus cannot be checked before its first telegram: only the buses we reach
    # out to decide whether the installation can start at all.
    checked = [c for c in coordinators.values() if not c.connection.is_push]
    if checked and not any(c.last_update_success for c in checked):
        for coordinator in coordinators.values():
            if isinstance(coordinator, ModbusCoordinator):
                coordinator.client.close()
            if isinstance(coordinator, P1Coordinator):
                coordinator.async_stop()
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="no_bus_reachable",
            translation_placeholders={"buses": ", ".join(c.bus.value for c in checked)},
        )

    hub_device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **hub_device_info(entry)
    )
    entry.runtime_data = BeNextRuntimeData(
        buses=coordinators, device_id=hub_device.id, settings=settings
    )
    if (modbus := entry.runtime_data.modbus) is not None:
        entry.async_on_unload(modbus.client.close)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    if (wmbus := entry.runtime_data.wmbus) is not None:
        # Telegrams are taken once every platform can add the entities they show.
        entry.async_on_unload(await async_start_wmbus(hass, entry, wmbus))
    if modbus is not None and modbus.unread_needs:
        # The first poll read only the main values; the entities need more.
        await modbus.async_refresh()
    entry.async_on_unload(entry.add_update_listener(_async_reload_if_changed))
    if _settings(entry) != settings:
        # Meters were added while the buses were first read.
        hass.config_entries.async_schedule_reload(entry.entry_id)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: BeNextConfigEntry) -> bool:
    """Unload an installation: its platforms, and with them every bus task."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _async_bus_coordinator(
    hass: HomeAssistant, entry: BeNextConfigEntry, bus: Bus, connection: BusConnection
) -> BusCoordinator:
    if bus is Bus.MODBUS:
        return _modbus_coordinator(hass, entry, connection)
    if bus is Bus.P1:
        p1 = _p1_coordinator(hass, entry, connection)
        await p1.async_start()
        entry.async_on_unload(p1.async_stop)
        return p1
    return wmbus_coordinator(hass, entry, connection)


def _modbus_coordinator(
    hass: HomeAssistant, entry: BeNextConfigEntry, connection: BusConnection
) -> ModbusCoordinator:
    client = ModbusBusClient(connection)
    meters = [
        polled_meter(subentry)
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_KWH_METER
    ]
    return ModbusCoordinator(
        hass,
        entry,
        connection,
        timedelta(seconds=modbus_poll_interval(entry)),
        client=client,
        meters=sorted(meters, key=lambda meter: meter.address),
        failed_polls_limit=modbus_failed_polls(entry),
    )


def _p1_coordinator(
    hass: HomeAssistant, entry: BeNextConfigEntry, connection: BusConnection
) -> P1Coordinator:
    subentry = next(
        (s for s in entry.subentries.values() if s.subentry_type == SUBENTRY_SMART_METER), None
    )
    meter = P1MeterSettings.from_subentry(subentry) if subentry is not None else None
    power_interval, total_interval = p1_intervals(entry)
    coordinator = P1Coordinator(
        hass,
        entry,
        connection,
        subentry_id=subentry.subentry_id if subentry is not None else None,
        meter=meter,
        power_interval=power_interval,
        total_interval=total_interval,
    )
    if subentry is not None and meter is not None:

        def widen(reading: P1Reading) -> None:
            # A meter relaying a new M-Bus meter gets its entities through a reload.
            widened = meter.with_reading(reading)
            if widened != meter:
                hass.config_entries.async_update_subentry(
                    entry, subentry, data={**subentry.data, **widened.as_data()}
                )

        coordinator.on_new_meter_data = widen
    return coordinator


# What a meter itself reports, stored so that its entities exist from the start: no reload.
HEARD_KEYS = frozenset({CONF_SERIAL, CONF_FIELDS, CONF_DETECTED_DRIVER})


def _settings(entry: ConfigEntry) -> Any:
    """What a reload would change: everything but the serial numbers the buses report."""
    return (
        dict(entry.data),
        dict(entry.options),
        {
            subentry_id: (
                subentry.title,
                {key: value for key, value in subentry.data.items() if key not in HEARD_KEYS},
            )
            for subentry_id, subentry in entry.subentries.items()
        },
    )


async def _async_reload_if_changed(hass: HomeAssistant, entry: BeNextConfigEntry) -> None:
    # Added, changed or removed meters, bus settings and options take effect through a
    # reload; a replaced meter's new serial number, stored by its bus, needs none.
    if _settings(entry) != entry.runtime_data.settings:
        await hass.config_entries.async_reload(entry.entry_id)
