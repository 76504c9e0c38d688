"""What a wireless meter's last reading tells the validation: error code, temperature, flow.

Read when the installation is validated, from the reading the coordinator already keeps:
nothing is added to the work of a telegram.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..bus.wmbus.alarms import WaterAlarm, water_alarms
from ..bus.wmbus.axioma import axioma_status
from ..bus.wmbus.drivers import MeterKind, driver_info
from .coordinator import DRIVER_FIELD

STATUS_FIELD = "status"
# A room sensor's temperature now, by the field name its driver gives it, the first found;
# the hour's average where a sensor sends no current value.
ROOM_TEMPERATURE_FIELDS = (
    "current_temperature_c",
    "temperature_c",
    "current_room_temp_c",
    "temp_room_c",
    "average_temperature_1h_c",
)


def heat_meter_error_code(values: Mapping[str, Any]) -> str | None:
    """A heat meter's error code as it shows it ("0080"), "0000" for none; None unknown.

    The code is the meter's error flags, as wmbusmeters prints them in `status`: the
    display code of an Axioma Qalcosonic (bus/wmbus/axioma.py). Another heat meter's flags
    are read the same way, as its heat meter state sensor reads them.
    """
    if driver_info(_text(values, DRIVER_FIELD) or "").kind is not MeterKind.HEAT:
        return None
    status = axioma_status(_text(values, STATUS_FIELD) or "")
    return status.code if status is not None else None


def room_temperature(values: Mapping[str, Any]) -> float | None:
    """The room's temperature in °C, from a room sensor's reading."""
    for name in ROOM_TEMPERATURE_FIELDS:
        value = values.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def reverse_flow(values: Mapping[str, Any]) -> bool:
    """Whether a water meter's alarm says the water flows backwards through it."""
    driver, status = _text(values, DRIVER_FIELD), _text(values, STATUS_FIELD)
    if driver is None or status is None:
        return False
    return WaterAlarm.REVERSE in water_alarms(driver, status)


def _text(values: Mapping[str, Any], name: str) -> str | None:
    value = values.get(name)
    return value if isinstance(value, str) else None
