"""What a wmbusmeters field measures, read from its name.

wmbusmeters names a numeric field `<quantity>_<unit>` with a lower-case unit suffix
(`total_m3`, `flow_temperature_c`, `current_relative_humidity_rh`); text fields have none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Measure(StrEnum):
    """The physical quantity a field holds."""

    ENERGY = "energy"
    VOLUME = "volume"
    VOLUME_FLOW = "volume_flow"
    TEMPERATURE = "temperature"
    TEMPERATURE_DIFFERENCE = "temperature_difference"
    HUMIDITY = "humidity"
    HEAT_COST_UNITS = "heat_cost_units"
    PERCENT = "percent"
    VOLTAGE = "voltage"
    CURRENT = "current"
    POWER = "power"
    DURATION = "duration"
    SIGNAL_STRENGTH = "signal_strength"
    COUNT = "count"


@dataclass(frozen=True, slots=True)
class FieldUnit:
    """A field's quantity and unit (Home Assistant's unit string; None when it has none)."""

    measure: Measure
    unit: str | None
    cumulative: bool


# Unit suffix -> quantity and Home Assistant's unit string.
SUFFIX_UNITS: Mapping[str, tuple[Measure, str | None]] = MappingProxyType(
    {
        "kwh": (Measure.ENERGY, "kWh"),
        "mwh": (Measure.ENERGY, "MWh"),
        "gj": (Measure.ENERGY, "GJ"),
        "wh": (Measure.ENERGY, "Wh"),
        "m3": (Measure.VOLUME, "m³"),
        "l": (Measure.VOLUME, "L"),
        "m3h": (Measure.VOLUME_FLOW, "m³/h"),
        "lh": (Measure.VOLUME_FLOW, "L/h"),
        "c": (Measure.TEMPERATURE, "°C"),
        "k": (Measure.TEMPERATURE_DIFFERENCE, "K"),
        "rh": (Measure.HUMIDITY, "%"),
        "hca": (Measure.HEAT_COST_UNITS, None),
        "pct": (Measure.PERCENT, "%"),
        "v": (Measure.VOLTAGE, "V"),
        "a": (Measure.CURRENT, "A"),
        "w": (Measure.POWER, "W"),
        "kw": (Measure.POWER, "kW"),
        "h": (Measure.DURATION, "h"),
        "s": (Measure.DURATION, "s"),
        "min": (Measure.DURATION, "min"),
        "dbm": (Measure.SIGNAL_STRENGTH, "dBm"),
        "counter": (Measure.COUNT, None),
    }
)

# A difference of two temperatures in °C (qualcosonic's flow_return_temperature_difference_c)
# is a number of kelvin.
DIFFERENCE_IN_CELSIUS = "_difference_c"
CUMULATIVE_PREFIX = "total_"


def _split_suffix(field: str) -> tuple[str, str]:
    quantity, _, suffix = field.rpartition("_")
    return quantity, suffix


def field_unit(field: str) -> FieldUnit | None:
    """The quantity and unit of a numeric field, or None when its suffix is not a unit."""
    quantity, suffix = _split_suffix(field)
    known = SUFFIX_UNITS.get(suffix) if quantity else None
    if known is None:
        return None
    measure, unit = known
    if field.endswith(DIFFERENCE_IN_CELSIUS):
        measure, unit = Measure.TEMPERATURE_DIFFERENCE, "K"
    return FieldUnit(measure, unit, cumulative=field.startswith(CUMULATIVE_PREFIX))


def field_label(field: str) -> str:
    """A field's name in words, without its unit ("total_heat_energy_kwh": "Total heat energy")."""
    quantity, suffix = _split_suffix(field)
    words = (quantity if quantity and suffix in SUFFIX_UNITS else field).replace("_", " ")
    return words[:1].upper() + words[1:]
