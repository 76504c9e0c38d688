"""Events: a water meter's alarms raised and cleared, for automations to react to once."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .runtime import BeNextConfigEntry
from .wmbus.alarm_event import wmbus_alarm_events
from .wmbus.entity import async_add_meter_entities

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BeNextConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the alarm events of the installation's water meters."""
    if (wmbus := entry.runtime_data.wmbus) is not None:
        async_add_meter_entities(
            wmbus, async_add_entities, lambda meter: wmbus_alarm_events(wmbus, entry, meter)
        )
