"""The sensor of one value of a kWh meter, with its totals kept free of glitches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorExtraStoredData,
    SensorStateClass,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo

from ..domain.total_guard import TotalGuard
from ..entity import BeNextMeterEntity
from .coordinator import ModbusCoordinator
from .descriptions import ModbusSensorDescription


@dataclass
class TotalExtraStoredData(SensorExtraStoredData):
    """A total's last value, and the serial number of the meter that counted it."""

    serial: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {**super().as_dict(), "serial": self.serial}

    @classmethod
    def from_dict(cls, restored: dict[str, Any]) -> Self | None:
        """Read the stored form; None when it is not one."""
        sensor_data = SensorExtraStoredData.from_dict(restored)
        if sensor_data is None:
            return None
        return cls(
            sensor_data.native_value,
            sensor_data.native_unit_of_measurement,
            restored.get("serial"),
        )


class ModbusSensor(BeNextMeterEntity[ModbusCoordinator], RestoreSensor):
    """One value of a kWh meter.

    A total only takes readings its guard accepts, so a glitch, a drop or a 0 never
    reaches the Energy dashboard; the last good value stays, also across restarts.
    """

    entity_description: ModbusSensorDescription

    def __init__(
        self,
        coordinator: ModbusCoordinator,
        subentry: ConfigSubentry,
        device_info: DeviceInfo,
        description: ModbusSensorDescription,
    ) -> None:
        """Initialize the sensor of one value of a meter."""
        super().__init__(coordinator, subentry, description.key, device_info)
        self.entity_description = description
        self._is_total = description.state_class is SensorStateClass.TOTAL_INCREASING
        self._guard = TotalGuard()
        self._serial: str | None = None
        self._seen: datetime | None = None

    async def async_added_to_hass(self) -> None:
        """Restore a total's last good value, and ask the bus to read what is shown."""
        if self._is_total and (last := await self.async_get_last_extra_data()) is not None:
            restored = TotalExtraStoredData.from_dict(last.as_dict())
            if restored is not None and isinstance(restored.native_value, int | float):
                self._guard = TotalGuard(float(restored.native_value))
                self._attr_native_value = restored.native_value
                self._serial = restored.serial
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_need(
                self.subentry_id, self, self.entity_description.quantities
            )
        )
        self._take_reading()

    @property
    def extra_restore_state_data(self) -> TotalExtraStoredData:
        """The value, and for a total the serial number of the meter that counted it."""
        return TotalExtraStoredData(
            self.native_value, self.native_unit_of_measurement, self._serial
        )

    @property
    def available(self) -> bool:
        """Available while the meter answers, and once it has been read."""
        return (
            super().available
            and self.coordinator.meter_available(self.subentry_id)
            and self._seen is not None
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        self._take_reading()
        super()._handle_coordinator_update()

    def _take_reading(self) -> None:
        data = self.coordinator.data
        snapshot = data.meters.get(self.subentry_id) if data is not None else None
        if snapshot is None or snapshot.read_at == self._seen:
            return
        self._seen = snapshot.read_at
        value = self.entity_description.value_fn(snapshot.values)
        if not self._is_total:
            self._attr_native_value = value
            return
        if not isinstance(value, float | int):
            return
        if snapshot.serial is not None and snapshot.serial != self._serial:
            if self._serial is not None:
                # Another meter at the address: its totals are its own.
                self._guard.reset()
            self._serial = snapshot.serial
        if (rejection := self._guard.check(value, snapshot.read_at)) is not None:
            self.coordinator.async_note_rejected(self.subentry_id, rejection.value)
            return
        self._attr_native_value = value
