"""One binary sensor per alarm of a water meter: leak, burst, dry, reverse flow, tamper."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.restore_state import RestoreEntity

from ..bus.wmbus.alarms import WaterAlarm, alarm_duration, alarms_of_driver, water_alarms
from ..coordinator import MeterReading
from ..entity import MeterReadingEntity
from ..runtime import BeNextConfigEntry
from .coordinator import DRIVER_FIELD, WmbusCoordinator, WmbusMeter

ALARM_DEVICE_CLASS: Mapping[WaterAlarm, BinarySensorDeviceClass] = {
    WaterAlarm.LEAK: BinarySensorDeviceClass.MOISTURE,
    WaterAlarm.BURST: BinarySensorDeviceClass.PROBLEM,
    WaterAlarm.DRY: BinarySensorDeviceClass.PROBLEM,
    WaterAlarm.REVERSE: BinarySensorDeviceClass.PROBLEM,
    WaterAlarm.TAMPER: BinarySensorDeviceClass.TAMPER,
}
ALARM_SENSORS: Mapping[WaterAlarm, BinarySensorEntityDescription] = {
    alarm: BinarySensorEntityDescription(
        key=f"{alarm}_alarm", translation_key=f"{alarm}_alarm", device_class=device_class
    )
    for alarm, device_class in ALARM_DEVICE_CLASS.items()
}


def wmbus_alarm_sensors(
    coordinator: WmbusCoordinator, entry: BeNextConfigEntry, meter: WmbusMeter
) -> list[WmbusAlarmSensor]:
    """A binary sensor for each alarm the meter's model can raise."""
    subentry = entry.subentries[meter.subentry_id]
    return [
        WmbusAlarmSensor(coordinator, subentry, None, alarm)
        for alarm in alarms_of_driver(meter.settings.effective_driver)
    ]


class WmbusAlarmSensor(MeterReadingEntity[WmbusCoordinator], RestoreEntity, BinarySensorEntity):
    """Whether one alarm of a water meter is raised, and for how long (as the meter says)."""

    def __init__(
        self,
        coordinator: WmbusCoordinator,
        subentry: ConfigSubentry,
        device_info: DeviceInfo | None,
        alarm: WaterAlarm,
    ) -> None:
        """Initialize the sensor of one alarm."""
        self.entity_description = ALARM_SENSORS[alarm]
        super().__init__(coordinator, subentry, self.entity_description.key, device_info)
        self.alarm = alarm
        self._duration: str | None = None

    async def async_added_to_hass(self) -> None:
        """Show how the alarm stood before a restart until the meter's next telegram."""
        last = await self.async_get_last_state()
        if last is not None and last.state in (STATE_ON, STATE_OFF):
            self._attr_is_on = last.state == STATE_ON
            duration = last.attributes.get("duration")
            self._duration = duration if isinstance(duration, str) else None
        await super().async_added_to_hass()

    def _update_from_reading(self, reading: MeterReading) -> bool:
        values = reading.values
        if not isinstance(status := values.get("status"), str):
            return False
        raised = self.alarm in water_alarms(values[DRIVER_FIELD], status)
        duration = alarm_duration(values, self.alarm) if raised else None
        if raised == self._attr_is_on and duration == self._duration:
            return False
        self._attr_is_on = raised
        self._duration = duration
        return True

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """How long the meter has seen the alarm, in its own buckets ("9-24 hours")."""
        return {"duration": self._duration} if self._duration else None

    @property
    def available(self) -> bool:
        """Available while the meter keeps sending, once a telegram said how the alarm stands."""
        return super().available and self._attr_is_on is not None
