"""The sensors of a wireless M-Bus meter: named ones for BeNext's meters, the rest by unit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
import re
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorStateClass,
)
from homeassistant.const import (
    MAX_LENGTH_STATE_STATE,
    EntityCategory,
    UnitOfElectricPotential,
    UnitOfEnergy,
)
from homeassistant.helpers.typing import StateType

from ..bus.wmbus.axioma import HeatMeterState, axioma_status
from ..bus.wmbus.dates import meter_date, meter_datetime
from ..bus.wmbus.drivers import MeterKind, driver_info
from ..bus.wmbus.units import FieldUnit, Measure, field_label, field_unit
from ..domain.physical_bounds import GJ_PER_KWH
from ..domain.roles import Role
from ..meter_sensor import MeterSensorDescription, Values
from .coordinator import RSSI_FIELD
from .settings import WmbusMeterSettings

STATUS_FIELD = "status"
BATTERY_FIELD = "battery"
BATTERY_DIGITS = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True, kw_only=True)
class WmbusSensorDescription(MeterSensorDescription):
    """A value of a wM-Bus meter's telegram, by its wmbusmeters field name."""


@dataclass(frozen=True, slots=True)
class Named:
    """How BeNext shows a field it knows: its name, and what differs from the unit's rule."""

    translation_key: str
    device_class: SensorDeviceClass | None = None
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT
    # The unit the value is shown in when it is not the field's own (kWh shown in GJ).
    shown_unit: str | None = None
    category: EntityCategory | None = None
    # The text field holding the date a value belongs to, shown as an attribute.
    date_field: str | None = None
    precision: int | None = None
    enabled: bool = True
    # The text field whose change starts a new counting cycle (a heat cost allocator
    # starts again from 0 at its set date).
    cycle_field: str | None = None


_TOTAL = SensorStateClass.TOTAL_INCREASING
# Heat energy is shown in GJ, as Dutch heat meters show it (converted by the sensor,
# exactly, from the kWh wmbusmeters prints).
_HEAT_ENERGY = Named(
    "heat_energy", SensorDeviceClass.ENERGY, _TOTAL, UnitOfEnergy.GIGA_JOULE, precision=3
)
_VOLUME = Named("volume", SensorDeviceClass.WATER, _TOTAL)
# The water a space-heating meter counts circulates in the heating circuit: a volume, never
# household water consumption (not offered in the Energy dashboard's water sources). A heat
# meter on the hot tap water line counts the hot water drawn at the taps: that is water.
_CIRCULATION_VOLUME = Named("circulation_volume", SensorDeviceClass.VOLUME, _TOTAL)
_FLOW = Named("flow", SensorDeviceClass.VOLUME_FLOW_RATE)

HEAT_METER_FIELDS: Mapping[str, Named] = {
    "total_heat_energy_kwh": _HEAT_ENERGY,
    "total_cooling_energy_kwh": Named(
        "delivered_cooling_energy",
        SensorDeviceClass.ENERGY,
        _TOTAL,
        UnitOfEnergy.GIGA_JOULE,
        precision=3,
    ),
    "total_m3": _CIRCULATION_VOLUME,
    "volume_flow_m3h": _FLOW,
    "flow_temperature_c": Named("flow_temperature", SensorDeviceClass.TEMPERATURE),
    "return_temperature_c": Named("return_temperature", SensorDeviceClass.TEMPERATURE),
    "flow_return_temperature_difference_c": Named("temperature_difference"),
    "power_kw": Named("heat_power", SensorDeviceClass.POWER),
}
WATER_METER_FIELDS: Mapping[str, Named] = {
    "total_m3": _VOLUME,
    "volume_flow_m3h": _FLOW,
    "flow_m3h": _FLOW,
    "max_flow_m3h": Named("max_flow", SensorDeviceClass.VOLUME_FLOW_RATE),
    "flow_temperature_c": Named("water_temperature", SensorDeviceClass.TEMPERATURE),
    "external_temperature_c": Named("ambient_temperature", SensorDeviceClass.TEMPERATURE),
    "min_external_temperature_c": Named("min_ambient_temperature", SensorDeviceClass.TEMPERATURE),
    "target_m3": Named(
        "volume_at_target_date",
        SensorDeviceClass.WATER,
        None,
        date_field="target_date",
        enabled=False,
    ),
    "consumption_at_set_date_m3": Named(
        "volume_at_target_date",
        SensorDeviceClass.WATER,
        None,
        date_field="set_datetime",
        enabled=False,
    ),
    "total_backward_m3": Named("backward_volume", SensorDeviceClass.WATER, _TOTAL),
    "battery_pct": Named("battery", SensorDeviceClass.BATTERY, category=EntityCategory.DIAGNOSTIC),
}
ROOM_SENSOR_FIELDS: Mapping[str, Named] = {
    "current_temperature_c": Named("temperature", SensorDeviceClass.TEMPERATURE),
    "current_relative_humidity_rh": Named("humidity", SensorDeviceClass.HUMIDITY),
    "average_temperature_1h_c": Named("average_temperature_1h", SensorDeviceClass.TEMPERATURE),
    "average_temperature_24h_c": Named("average_temperature_24h", SensorDeviceClass.TEMPERATURE),
    "average_relative_humidity_1h_rh": Named("average_humidity_1h", SensorDeviceClass.HUMIDITY),
    "average_relative_humidity_24h_rh": Named("average_humidity_24h", SensorDeviceClass.HUMIDITY),
}
_UNITS = Named("heat_cost_units", None, _TOTAL, precision=0, cycle_field="set_date")
_UNITS_AT_SET_DATE = Named(
    "heat_cost_units_at_set_date", None, None, date_field="set_date", precision=0
)
_RADIATOR = Named("radiator_temperature", SensorDeviceClass.TEMPERATURE)
_ROOM = Named("room_temperature", SensorDeviceClass.TEMPERATURE)
HEAT_COST_ALLOCATOR_FIELDS: Mapping[str, Named] = {
    "current_consumption_hca": _UNITS,
    "current_hca": _UNITS,
    "consumption_at_set_date_hca": _UNITS_AT_SET_DATE,
    "previous_hca": Named("heat_cost_units_at_set_date", None, None, date_field="previous_date"),
    "flow_temperature_c": _RADIATOR,
    "current_temp_c": _RADIATOR,
    "temp_radiator_c": _RADIATOR,
    "current_room_temp_c": _ROOM,
    "temp_room_c": _ROOM,
}
HOT_TAP_WATER_HEAT_METER_FIELDS: Mapping[str, Named] = {**HEAT_METER_FIELDS, "total_m3": _VOLUME}
NAMED_FIELDS: Mapping[MeterKind, Mapping[str, Named]] = {
    MeterKind.HEAT: HEAT_METER_FIELDS,
    MeterKind.WATER: WATER_METER_FIELDS,
    MeterKind.ROOM: ROOM_SENSOR_FIELDS,
    MeterKind.HEAT_COST: HEAT_COST_ALLOCATOR_FIELDS,
}

MEASURE_DEVICE_CLASS: Mapping[Measure, SensorDeviceClass] = {
    Measure.ENERGY: SensorDeviceClass.ENERGY,
    Measure.VOLUME: SensorDeviceClass.VOLUME,
    Measure.VOLUME_FLOW: SensorDeviceClass.VOLUME_FLOW_RATE,
    Measure.TEMPERATURE: SensorDeviceClass.TEMPERATURE,
    Measure.HUMIDITY: SensorDeviceClass.HUMIDITY,
    Measure.VOLTAGE: SensorDeviceClass.VOLTAGE,
    Measure.CURRENT: SensorDeviceClass.CURRENT,
    Measure.POWER: SensorDeviceClass.POWER,
    Measure.DURATION: SensorDeviceClass.DURATION,
    Measure.SIGNAL_STRENGTH: SensorDeviceClass.SIGNAL_STRENGTH,
}
# Device classes whose values are amounts, never a measurement's state class.
AMOUNT_CLASSES = frozenset(
    {SensorDeviceClass.ENERGY, SensorDeviceClass.VOLUME, SensorDeviceClass.WATER}
)


def _text(values: Values, field: str) -> str | None:
    """A text field's value; None when the telegram carried something else in its place."""
    value = values.get(field)
    return value if isinstance(value, str) else None


def _shortened(text: str | None) -> str | None:
    """A text as a state, which may be at most 255 characters: a longer one is cut short."""
    if text is None or len(text) <= MAX_LENGTH_STATE_STATE:
        return text
    return text[: MAX_LENGTH_STATE_STATE - 1] + "\u2026"


def _heat_meter_state(values: Values) -> str | None:
    status = axioma_status(_text(values, STATUS_FIELD) or "")
    return status.state.value if status is not None else None


def _heat_meter_code(values: Values) -> Mapping[str, Any]:
    status = axioma_status(_text(values, STATUS_FIELD) or "")
    if status is None:
        return {}
    return {
        "code": status.code,
        "problems": sorted(problem.value for problem in status.problems),
    }


SIGNAL_STRENGTH = WmbusSensorDescription(
    key=RSSI_FIELD,
    translation_key="signal_strength",
    device_class=SensorDeviceClass.SIGNAL_STRENGTH,
    state_class=SensorStateClass.MEASUREMENT,
    native_unit_of_measurement="dBm",
    entity_category=EntityCategory.DIAGNOSTIC,
    entity_registry_enabled_default=False,
    value_fn=lambda values: values.get(RSSI_FIELD),
)
HEAT_METER_STATE = WmbusSensorDescription(
    key=STATUS_FIELD,
    translation_key="heat_meter_state",
    device_class=SensorDeviceClass.ENUM,
    options=[state.value for state in HeatMeterState],
    value_fn=_heat_meter_state,
    attributes_fn=_heat_meter_code,
)
METER_STATUS = WmbusSensorDescription(
    key=STATUS_FIELD,
    translation_key="meter_status",
    entity_category=EntityCategory.DIAGNOSTIC,
    entity_registry_enabled_default=False,
    value_fn=lambda values: _shortened(_text(values, STATUS_FIELD)),
)
BATTERY_VOLTAGE = WmbusSensorDescription(
    key=BATTERY_FIELD,
    translation_key="battery_voltage",
    device_class=SensorDeviceClass.VOLTAGE,
    state_class=SensorStateClass.MEASUREMENT,
    native_unit_of_measurement=UnitOfElectricPotential.VOLT,
    entity_category=EntityCategory.DIAGNOSTIC,
    value_fn=lambda values: _battery_volts(_text(values, BATTERY_FIELD)),
)


def wmbus_sensor_descriptions(settings: WmbusMeterSettings) -> list[WmbusSensorDescription]:
    """A sensor for every value the meter's telegrams carried.

    BeNext's meters get named sensors; any other numeric field gets one by its unit
    suffix, disabled by default on a meter whose main values are named.
    """
    kind = driver_info(settings.effective_driver).kind
    hot_tap_water = kind is MeterKind.HEAT and settings.role is Role.HOT_TAP_WATER
    return [
        description
        for name in settings.fields
        if (description := _description(kind, name, hot_tap_water)) is not None
    ]


# A description depends only on the kind of meter and the field: the meters of a block of
# flats share theirs. Bounded, as field names come from the telegrams.
@lru_cache(maxsize=1024)
def _description(kind: MeterKind, name: str, hot_tap_water: bool) -> WmbusSensorDescription | None:
    """The sensor of a field on a kind of meter; None for a field without one.

    A heat meter on the hot tap water line counts household water (see _VOLUME).
    """
    named = HOT_TAP_WATER_HEAT_METER_FIELDS if hot_tap_water else NAMED_FIELDS.get(kind, {})
    if name in named:
        return _named(name, named[name])
    if name == RSSI_FIELD:
        return SIGNAL_STRENGTH
    if name == STATUS_FIELD:
        return HEAT_METER_STATE if kind is MeterKind.HEAT else METER_STATUS
    if name == BATTERY_FIELD:
        return BATTERY_VOLTAGE
    if (unit := field_unit(name)) is not None:
        return _by_unit(name, unit, enabled=kind is MeterKind.OTHER)
    return None


def _named(name: str, named: Named) -> WmbusSensorDescription:
    unit = field_unit(name)
    date_field = named.date_field
    native_unit = unit.unit if unit is not None else None
    value_fn: Callable[[Values], StateType] = lambda values: values.get(name)  # noqa: E731
    scale = 1.0
    if native_unit == UnitOfEnergy.KILO_WATT_HOUR and named.shown_unit == UnitOfEnergy.GIGA_JOULE:
        # Converted here rather than by Home Assistant, whose float conversion shows
        # 13336.11 kWh as 48.009996000000004 GJ: the state keeps the meter's resolution.
        native_unit, scale = UnitOfEnergy.GIGA_JOULE, GJ_PER_KWH
        value_fn = lambda values: kwh_as_gj(values.get(name))  # noqa: E731
    return WmbusSensorDescription(
        key=name,
        translation_key=named.translation_key,
        device_class=named.device_class,
        state_class=named.state_class,
        native_unit_of_measurement=native_unit,
        suggested_display_precision=named.precision,
        entity_category=named.category,
        entity_registry_enabled_default=named.enabled,
        value_fn=value_fn,
        total_scale=scale,
        attributes_fn=(
            (lambda values: _date_attribute(_text(values, date_field)))
            if date_field is not None
            else None
        ),
        cycle_field=named.cycle_field,
    )


def _by_unit(name: str, unit: FieldUnit, *, enabled: bool) -> WmbusSensorDescription:
    device_class = MEASURE_DEVICE_CLASS.get(unit.measure)
    if unit.cumulative:
        state_class: SensorStateClass | None = SensorStateClass.TOTAL_INCREASING
    elif device_class in AMOUNT_CLASSES or unit.measure is Measure.HEAT_COST_UNITS:
        state_class = None
    else:
        state_class = SensorStateClass.MEASUREMENT
    return WmbusSensorDescription(
        key=name,
        translation_key="generic",
        translation_placeholders={"field": field_label(name)},
        device_class=device_class,
        state_class=state_class,
        native_unit_of_measurement=unit.unit,
        entity_registry_enabled_default=enabled,
        value_fn=lambda values: values.get(name),
    )


def kwh_as_gj(kwh: object) -> float | None:
    """KWh in GJ, rounded to what the kWh value resolves (1 kWh is 0.0036 GJ exactly)."""
    if isinstance(kwh, bool) or not isinstance(kwh, int | float):
        return None
    decimals = max(0, -int(Decimal(repr(float(kwh))).as_tuple().exponent))
    return round(kwh * GJ_PER_KWH, min(decimals, 6) + 4)


def _date_attribute(text: str | None) -> Mapping[str, Any]:
    if text is None:
        return {}
    day = meter_date(text)
    if day is None and (moment := meter_datetime(text)) is not None:
        day = moment.date()
    return {"date": day.isoformat()} if day is not None else {}


def _battery_volts(text: str | None) -> float | None:
    """CMa12w's `BATTERY_330` is 3.30 V."""
    if text is None or not text.startswith("BATTERY_"):
        return None
    digits = text.removeprefix("BATTERY_")
    # Not str.isdigit: it takes "³" and other digits that int() refuses.
    return int(digits) / 100 if BATTERY_DIGITS.fullmatch(digits) else None
