"""A water meter's alarm events: `leak_started`, `leak_stopped`, ... once per change."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.config_entries import ConfigSubentry
from homeassistant.helpers.device_registry import DeviceInfo

from ..bus.wmbus.alarms import (
    NO_ALARMS,
    WaterAlarm,
    alarm_duration,
    alarms_of_driver,
    water_alarms,
)
from ..coordinator import MeterReading
from ..entity import MeterReadingEntity
from ..runtime import BeNextConfigEntry
from .coordinator import DRIVER_FIELD, WmbusCoordinator, WmbusMeter

ALARM_EVENT = EventEntityDescription(key="alarm_event", translation_key="water_alarm")
# The event's data carries the alarms raised after it, so that a restart knows them.
ACTIVE = "active"


@lru_cache(maxsize=16)
def _event_types(alarms: tuple[WaterAlarm, ...]) -> list[str]:
    """The events of a meter that can raise these alarms, shared by every such meter."""
    return [f"{alarm}_{change}" for alarm in alarms for change in ("started", "stopped")]


def wmbus_alarm_events(
    coordinator: WmbusCoordinator, entry: BeNextConfigEntry, meter: WmbusMeter
) -> list[WmbusAlarmEvent]:
    """The alarm event entity of a meter that can raise alarms."""
    alarms = alarms_of_driver(meter.settings.effective_driver)
    if not alarms:
        return []
    subentry = entry.subentries[meter.subentry_id]
    return [WmbusAlarmEvent(coordinator, subentry, None, alarms)]


class WmbusAlarmEvent(MeterReadingEntity[WmbusCoordinator], EventEntity):
    """Fires when an alarm of the meter is raised or cleared, never twice for one change."""

    entity_description = ALARM_EVENT

    def __init__(
        self,
        coordinator: WmbusCoordinator,
        subentry: ConfigSubentry,
        device_info: DeviceInfo | None,
        alarms: tuple[WaterAlarm, ...],
    ) -> None:
        """Initialize the event entity of a meter's alarms."""
        super().__init__(coordinator, subentry, ALARM_EVENT.key, device_info)
        self.alarms = alarms
        self._attr_event_types = _event_types(alarms)
        self._raised = NO_ALARMS

    async def async_added_to_hass(self) -> None:
        """Remember which alarms the last event left raised, across restarts."""
        last = await self.async_get_last_event_data()
        if last is not None and last.last_event_attributes is not None:
            raised = last.last_event_attributes.get(ACTIVE, [])
            self._raised = frozenset(WaterAlarm(a) for a in raised if a in set(self.alarms))
        await super().async_added_to_hass()

    def _update_from_reading(self, reading: MeterReading) -> bool:
        values = reading.values
        if not isinstance(status := values.get("status"), str):
            return False
        raised = water_alarms(values[DRIVER_FIELD], status)
        active = sorted(alarm.value for alarm in raised)
        for alarm in self.alarms:
            if alarm in raised and alarm not in self._raised:
                duration = alarm_duration(values, alarm)
                self._fire(f"{alarm}_started", {ACTIVE: active, "duration": duration})
            elif alarm in self._raised and alarm not in raised:
                self._fire(f"{alarm}_stopped", {ACTIVE: active})
        self._raised = raised
        # Each event was written as it fired.
        return False

    def _fire(self, event_type: str, data: dict[str, Any]) -> None:
        # One state write per event, so that a telegram raising a burst and a leak
        # together triggers automations for both.
        self._trigger_event(event_type, data)
        self.async_write_ha_state()
