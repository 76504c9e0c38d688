"""One binary sensor per alarm of a water meter: leak, burst, dry, reverse flow, tamper."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)

from ..bus.wmbus.alarms import WaterAlarm, alarm_duration, alarms_of_driver, water_alarms
from ..runtime import BeNextConfigEntry
from .coordinator import WmbusCoordinator, WmbusMeter
from .entity import WmbusEntity

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
    return [
        WmbusAlarmSensor(coordinator, entry, meter, alarm)
        for alarm in alarms_of_driver(meter.settings.effective_driver)
    ]


class WmbusAlarmSensor(WmbusEntity, BinarySensorEntity):
    """Whether one alarm of a water meter is raised, and for how long (as the meter says)."""

    def __init__(
        self,
        coordinator: WmbusCoordinator,
        entry: BeNextConfigEntry,
        meter: WmbusMeter,
        alarm: WaterAlarm,
    ) -> None:
        """Initialize the sensor of one alarm."""
        self.entity_description = ALARM_SENSORS[alarm]
        super().__init__(coordinator, entry, meter, self.entity_description.key)
        self.alarm = alarm
        self._duration: str | None = None

    def _update_from_telegram(self) -> bool:
        telegram = self.meter.telegram
        if telegram is None or (status := telegram.texts.get("status")) is None:
            return False
        raised = self.alarm in water_alarms(telegram.driver, status)
        duration = alarm_duration(telegram.texts, self.alarm) if raised else None
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
