"""The sensors of a wireless M-Bus meter."""

from __future__ import annotations

from ..meter_sensor import MeterSensor
from ..runtime import BeNextConfigEntry
from .coordinator import WmbusCoordinator, WmbusMeter
from .descriptions import wmbus_sensor_descriptions


def wmbus_sensors(
    coordinator: WmbusCoordinator, entry: BeNextConfigEntry, meter: WmbusMeter
) -> list[MeterSensor[WmbusCoordinator]]:
    """A sensor for each value the meter's telegrams carry."""
    subentry = entry.subentries[meter.subentry_id]
    return [
        MeterSensor(coordinator, subentry, None, description)
        for description in wmbus_sensor_descriptions(meter.settings)
    ]
