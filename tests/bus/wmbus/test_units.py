"""The quantity, unit and label of a wmbusmeters field, from its name."""

from __future__ import annotations

from enum import StrEnum

from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTemperature,
    UnitOfTime,
    UnitOfVolume,
    UnitOfVolumeFlowRate,
)
import pytest

from custom_components.benext.bus.wmbus.telegram import parse_telegram
from custom_components.benext.bus.wmbus.units import (
    SUFFIX_UNITS,
    FieldUnit,
    Measure,
    field_label,
    field_unit,
)
from tests.wmbus_fixtures import WMBUS_FIXTURES

# Home Assistant's units for each measure (the bus layer may not import them).
HA_UNITS: dict[Measure, set[str | None]] = {
    Measure.ENERGY: set(UnitOfEnergy),
    Measure.VOLUME: set(UnitOfVolume),
    Measure.VOLUME_FLOW: set(UnitOfVolumeFlowRate),
    Measure.TEMPERATURE: {UnitOfTemperature.CELSIUS},
    Measure.TEMPERATURE_DIFFERENCE: {UnitOfTemperature.KELVIN},
    Measure.HUMIDITY: {PERCENTAGE},
    Measure.PERCENT: {PERCENTAGE},
    Measure.VOLTAGE: set(UnitOfElectricPotential),
    Measure.CURRENT: set(UnitOfElectricCurrent),
    Measure.POWER: set(UnitOfPower),
    Measure.DURATION: set(UnitOfTime),
    Measure.SIGNAL_STRENGTH: {SIGNAL_STRENGTH_DECIBELS_MILLIWATT},
    Measure.HEAT_COST_UNITS: {None},
    Measure.COUNT: {None},
}
FIXTURE_VALUE_FIELDS = sorted(
    {
        name
        for fixture in WMBUS_FIXTURES
        for json in (fixture.expected, fixture.expected_3)
        for name in parse_telegram(json).values
    }
)


@pytest.mark.parametrize("suffix", SUFFIX_UNITS)
def test_units_are_home_assistant_units(suffix: str) -> None:
    """Every unit is one of Home Assistant's strings for its measure."""
    unit = field_unit(f"some_quantity_{suffix}")
    assert unit is not None
    assert unit.unit in HA_UNITS[unit.measure]
    assert not isinstance(unit.unit, StrEnum)  # a plain string, equal to HA's


@pytest.mark.parametrize("field", FIXTURE_VALUE_FIELDS)
def test_every_fixture_value_has_a_unit(field: str) -> None:
    """No numeric field wmbusmeters printed for the fixtures goes without a unit."""
    assert field_unit(field) is not None


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("total_heat_energy_kwh", FieldUnit(Measure.ENERGY, "kWh", cumulative=True)),
        ("target_heat_energy_kwh", FieldUnit(Measure.ENERGY, "kWh", cumulative=False)),
        ("total_energy_consumption_gj", FieldUnit(Measure.ENERGY, "GJ", cumulative=True)),
        ("total_m3", FieldUnit(Measure.VOLUME, "m³", cumulative=True)),
        ("consumption_at_set_date_m3", FieldUnit(Measure.VOLUME, "m³", cumulative=False)),
        ("total_l", FieldUnit(Measure.VOLUME, "L", cumulative=True)),
        ("volume_flow_m3h", FieldUnit(Measure.VOLUME_FLOW, "m³/h", cumulative=False)),
        ("flow_lh", FieldUnit(Measure.VOLUME_FLOW, "L/h", cumulative=False)),
        ("flow_temperature_c", FieldUnit(Measure.TEMPERATURE, "°C", cumulative=False)),
        (
            "flow_return_temperature_difference_c",
            FieldUnit(Measure.TEMPERATURE_DIFFERENCE, "K", cumulative=False),
        ),
        ("temperature_difference_k", FieldUnit(Measure.TEMPERATURE_DIFFERENCE, "K", False)),
        ("current_relative_humidity_rh", FieldUnit(Measure.HUMIDITY, "%", cumulative=False)),
        ("battery_pct", FieldUnit(Measure.PERCENT, "%", cumulative=False)),
        ("current_consumption_hca", FieldUnit(Measure.HEAT_COST_UNITS, None, cumulative=False)),
        ("battery_v", FieldUnit(Measure.VOLTAGE, "V", cumulative=False)),
        ("current_a", FieldUnit(Measure.CURRENT, "A", cumulative=False)),
        ("power_w", FieldUnit(Measure.POWER, "W", cumulative=False)),
        ("power_kw", FieldUnit(Measure.POWER, "kW", cumulative=False)),
        ("on_time_h", FieldUnit(Measure.DURATION, "h", cumulative=False)),
        ("meter_time_s", FieldUnit(Measure.DURATION, "s", cumulative=False)),
        ("transmit_period_min", FieldUnit(Measure.DURATION, "min", cumulative=False)),
        ("rssi_dbm", FieldUnit(Measure.SIGNAL_STRENGTH, "dBm", cumulative=False)),
        ("total_pulses_counter", FieldUnit(Measure.COUNT, None, cumulative=True)),
        ("total_mwh", FieldUnit(Measure.ENERGY, "MWh", cumulative=True)),
        ("total_wh", FieldUnit(Measure.ENERGY, "Wh", cumulative=True)),
    ],
)
def test_field_unit(field: str, expected: FieldUnit) -> None:
    """The suffix after the last "_" gives the unit; "total_" makes a growing counter."""
    assert field_unit(field) == expected


@pytest.mark.parametrize(
    "field", ["status", "time_dry", "fabrication_no", "set_date_1", "battery", "_c", "total_x"]
)
def test_fields_without_a_unit(field: str) -> None:
    """Text fields and unknown suffixes have no unit."""
    assert field_unit(field) is None


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("total_heat_energy_kwh", "Total heat energy"),
        ("consumption_at_set_date_1_hca", "Consumption at set date 1"),
        ("average_relative_humidity_24h_rh", "Average relative humidity 24h"),
        ("flow_return_temperature_difference_c", "Flow return temperature difference"),
        ("time_dry", "Time dry"),
        ("status", "Status"),
    ],
)
def test_field_label(field: str, label: str) -> None:
    """The name in words, without its unit suffix."""
    assert field_label(field) == label
