"""Events: what the meters report once per change, such as a water meter's alarms."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .meter_buses import METER_BUSES
from .runtime import BeNextConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BeNextConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the event entities of every bus's meters."""
    for bus, coordinator in entry.runtime_data.buses.items():
        METER_BUSES[bus].async_add_entities(
            hass, entry, coordinator, Platform.EVENT, async_add_entities
        )
