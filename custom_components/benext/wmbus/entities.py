"""The sensors of a wireless M-Bus meter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.sensor import RestoreSensor, SensorStateClass
from homeassistant.helpers.typing import StateType

from ..runtime import BeNextConfigEntry
from .coordinator import WmbusCoordinator, WmbusMeter
from .descriptions import WmbusSensorDescription, wmbus_sensor_descriptions
from .entity import WmbusEntity


def wmbus_sensors(
    coordinator: WmbusCoordinator, entry: BeNextConfigEntry, meter: WmbusMeter
) -> list[WmbusSensor]:
    """A sensor for each value the meter's telegrams carry."""
    return [
        WmbusSensor(coordinator, entry, meter, description)
        for description in wmbus_sensor_descriptions(meter.settings)
    ]


class WmbusSensor(WmbusEntity, RestoreSensor):
    """One value of a wM-Bus meter's telegrams.

    A total keeps its last good value across restarts, and that value is the floor for
    the telegrams that follow: a total that drops never reaches it.
    """

    entity_description: WmbusSensorDescription

    def __init__(
        self,
        coordinator: WmbusCoordinator,
        entry: BeNextConfigEntry,
        meter: WmbusMeter,
        description: WmbusSensorDescription,
    ) -> None:
        """Initialize the sensor of one value."""
        super().__init__(coordinator, entry, meter, description.key)
        self.entity_description = description
        self._is_total = description.state_class is SensorStateClass.TOTAL_INCREASING
        self._attributes: Mapping[str, Any] | None = None

    async def async_added_to_hass(self) -> None:
        """Restore a total's last good value before following the meter."""
        if self._is_total and (last := await self.async_get_last_sensor_data()) is not None:
            value = last.native_value
            if isinstance(value, int | float):
                self._attr_native_value = value
                self.coordinator.async_restore_total(
                    self.meter.settings.meter_id, self.entity_description.key, float(value)
                )
        await super().async_added_to_hass()

    def _update_from_telegram(self) -> bool:
        telegram = self.meter.telegram
        if telegram is None:
            return False
        value: StateType = self.entity_description.value_fn(telegram)
        if value is None:
            # A short frame leaves fields out: the last value stays.
            return False
        current = self._attr_native_value
        if self._is_total and isinstance(current, int | float) and float(value) < current:
            # Only a telegram from before a restart's restored value can be lower here.
            return False
        attributes_fn = self.entity_description.attributes_fn
        attributes = attributes_fn(telegram) if attributes_fn is not None else None
        if value == self._attr_native_value and attributes == self._attributes:
            return False
        self._attr_native_value = value
        self._attributes = attributes
        return True

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """The date a value belongs to, or the heat meter's error code."""
        return self._attributes or None

    @property
    def available(self) -> bool:
        """Available while the meter keeps sending, once there is a value to show."""
        return super().available and self._attr_native_value is not None
