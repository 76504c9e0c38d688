"""An existing entity's state as a meter's reading: its value, and a temperature in °C."""

from __future__ import annotations

from datetime import datetime
import math

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfTemperature,
)
from homeassistant.core import State
from homeassistant.util.unit_conversion import TemperatureConverter

from ..coordinator import MeterReading

# The keys of a reading's values.
VALUE = "value"
TEMPERATURE = "temperature"


def is_reporting(state: State | None) -> bool:
    """Whether the entity exists and its integration gives it a state."""
    return state is not None and state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)


def state_reading(state: State | None, read_at: datetime) -> MeterReading:
    """The reading of an entity's state; without a number, a reading with no value."""
    value = _number(state.state) if state is not None and is_reporting(state) else None
    if state is None or value is None:
        return MeterReading(read_at=read_at, values={}, main_values=(None,))
    values = {VALUE: value}
    if state.attributes.get(ATTR_DEVICE_CLASS) == SensorDeviceClass.TEMPERATURE:
        values[TEMPERATURE] = _celsius(value, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT))
    return MeterReading(read_at=read_at, values=values, main_values=(value,))


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _celsius(value: float, unit: object) -> float:
    """A temperature in °C; one without a unit Home Assistant knows is taken as °C."""
    if unit in TemperatureConverter.VALID_UNITS and unit != UnitOfTemperature.CELSIUS:
        return TemperatureConverter.convert(value, str(unit), UnitOfTemperature.CELSIUS)
    return value
