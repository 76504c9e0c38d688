"""The sensor of one value of a kWh meter, which asks the bus to read what it shows."""

from __future__ import annotations

from ..meter_sensor import MeterSensor
from .coordinator import ModbusCoordinator
from .descriptions import ModbusSensorDescription


class ModbusSensor(MeterSensor[ModbusCoordinator]):
    """One value of a kWh meter; the bus reads only what enabled sensors show."""

    entity_description: ModbusSensorDescription

    async def async_added_to_hass(self) -> None:
        """Ask the bus to read the registers this sensor shows, from its next poll."""
        self.async_on_remove(
            self.coordinator.async_add_need(
                self.subentry_id, self, self.entity_description.quantities
            )
        )
        await super().async_added_to_hass()
