"""The sensor of one value of a meter, whatever its bus: totals kept free of glitches."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Self

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorEntityDescription,
    SensorExtraStoredData,
    SensorStateClass,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .coordinator import BusCoordinator, MeterReading
from .entity import MeterReadingEntity

type Values = Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class MeterSensorDescription(SensorEntityDescription):
    """A value of a meter's readings: by default the one under the description's key."""

    value_fn: Callable[[Values], StateType | datetime] | None = None
    attributes_fn: Callable[[Values], Mapping[str, Any] | None] | None = None
    # The reading's total that the sensor shows, whose floor its restored value is, when
    # that is not the one under its key.
    total_key: str | None = None
    # A value in the reading whose change starts a new counting cycle: the total may then
    # restart from 0 (a heat cost allocator at its set date).
    cycle_field: str | None = None
    # The sensor's value is the reading's total times this (a heat meter's kWh shown in GJ):
    # the guard and its floor count in the total's own unit.
    total_scale: float = 1.0

    def value_of(self, values: Values) -> StateType | datetime:
        """The sensor's value in a reading."""
        return self.value_fn(values) if self.value_fn is not None else values.get(self.key)


@dataclass
class TotalExtraStoredData(SensorExtraStoredData):
    """A total's last value, the meter that counted it, and when it was last good."""

    serial: str | None = None
    good_at: datetime | None = None
    cycle: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            **super().as_dict(),
            "serial": self.serial,
            "good_at": self.good_at.isoformat() if self.good_at is not None else None,
            "cycle": self.cycle,
        }

    @classmethod
    def from_dict(cls, restored: dict[str, Any]) -> Self | None:
        """Read the stored form; None when it is not one."""
        sensor_data = SensorExtraStoredData.from_dict(restored)
        if sensor_data is None:
            return None
        good_at = restored.get("good_at")
        cycle = restored.get("cycle")
        return cls(
            sensor_data.native_value,
            sensor_data.native_unit_of_measurement,
            restored.get("serial"),
            dt_util.parse_datetime(good_at) if isinstance(good_at, str) else None,
            cycle if isinstance(cycle, str) else None,
        )


class MeterSensor[CoordinatorT: BusCoordinator](MeterReadingEntity[CoordinatorT], RestoreSensor):
    """One value of a meter.

    A value a reading leaves out keeps the last one. A total keeps its last good value
    across restarts, and that value is the floor for the readings that follow.
    """

    entity_description: MeterSensorDescription

    def __init__(
        self,
        coordinator: CoordinatorT,
        subentry: ConfigSubentry,
        device_info: DeviceInfo | None,
        description: MeterSensorDescription,
    ) -> None:
        """Initialize the sensor of one value."""
        super().__init__(coordinator, subentry, description.key, device_info)
        self.entity_description = description
        self._is_total = description.state_class is SensorStateClass.TOTAL_INCREASING
        self._attributes: Mapping[str, Any] | None = None
        self._serial: str | None = None
        self._good_at: datetime | None = None
        self._cycle: str | None = None
        self._restored: float | None = None

    async def async_added_to_hass(self) -> None:
        """Show the value from before a restart at once; a total's is also its floor."""
        description = self.entity_description
        last = await self.async_get_last_extra_data()
        restored = TotalExtraStoredData.from_dict(last.as_dict()) if last is not None else None
        if (
            restored is not None
            and not self._is_total
            and not self.coordinator.is_not_sent(
                self.subentry_id, self.entity_description.key, restored.native_value
            )
        ):
            # Shown until the meter's next reading, as long as the meter counts as current.
            self._attr_native_value = restored.native_value
        if (
            self._is_total
            and restored is not None
            and isinstance(restored.native_value, int | float | Decimal)
        ):
            self._restored = float(restored.native_value)
            self._attr_native_value = restored.native_value
            if (
                description.total_scale != 1.0
                and restored.native_unit_of_measurement != description.native_unit_of_measurement
            ):
                # Stored in the total's own unit, before the sensor converted it itself.
                self._restored *= description.total_scale
                self._attr_native_value = self._restored
            self._serial = restored.serial
            self._cycle = restored.cycle
            # Stored before the time was kept: the state's last write was good then.
            last_state = await self.async_get_last_state()
            self._good_at = restored.good_at or (
                last_state.last_updated if last_state is not None else None
            )
            self.coordinator.async_restore_total(
                self.subentry_id,
                description.total_key or description.key,
                self._restored / description.total_scale,
                self._serial,
                self._good_at,
            )
        if self._is_total:
            self.coordinator.async_note_total_entity(
                self.subentry_id,
                description.total_key or description.key,
                self.entity_id,
                description.native_unit_of_measurement,
                description.total_scale,
            )
        await super().async_added_to_hass()

    @property
    def extra_restore_state_data(self) -> TotalExtraStoredData:
        """The value, and for a total the serial number of the meter that counted it."""
        return TotalExtraStoredData(
            self.native_value,
            self.native_unit_of_measurement,
            self._serial,
            self._good_at,
            self._cycle,
        )

    def _update_from_reading(self, reading: MeterReading) -> bool:
        description = self.entity_description
        value = description.value_of(reading.values)
        if value is None or self.coordinator.is_not_sent(self.subentry_id, description.key, value):
            # Not sent, or a meter's marker for "no value": the last value stays.
            return False
        cycle = self._cycle_of(reading)
        if self._is_total and cycle != self._cycle and self._cycle is not None:
            # A new counting cycle: the total starts again from its own count.
            self._restored = None
        if self._is_total and self._below_restored(value, reading.serial):
            return False
        attributes = (
            description.attributes_fn(reading.values)
            if description.attributes_fn is not None
            else None
        )
        if value == self._attr_native_value and attributes == self._attributes:
            return False
        if not self.coordinator.write_due(self.subentry_id, description.key, (value, attributes)):
            return False
        self._attr_native_value = value
        self._attributes = attributes
        if self._is_total:
            self._good_at = reading.read_at
            self._cycle = cycle
            if reading.serial is not None:
                self._serial = reading.serial
        return True

    def _cycle_of(self, reading: MeterReading) -> str | None:
        field = self.entity_description.cycle_field
        cycle = reading.values.get(field) if field is not None else None
        return cycle if isinstance(cycle, str) else None

    def _below_restored(self, value: StateType | datetime, serial: str | None) -> bool:
        """Whether a reading taken before the restored total was known lies under it.

        A replaced meter (another serial number) counts from its own total.
        """
        if self._restored is None or not isinstance(value, int | float):
            return False
        same_meter = serial is None or self._serial is None or serial == self._serial
        return same_meter and value < self._restored

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """What a value belongs to, such as the date of a reading or a meter's error code."""
        return self._attributes or None

    @property
    def available(self) -> bool:
        """Available while the meter's values can be trusted, once there is one to show."""
        return super().available and self._attr_native_value is not None
