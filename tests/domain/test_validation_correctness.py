"""Check 4 and the swaps: the manual's worked examples, PV, and the household consumption."""

from __future__ import annotations

from dataclasses import replace

import pytest

from custom_components.benext.domain.roles import Role
from custom_components.benext.domain.validation.comparison import (
    SIGNIFICANT_FACTOR,
    significantly_higher,
)
from custom_components.benext.domain.validation.correctness import (
    PV_NIGHT_TOLERANCE_KWH,
    check_correctness,
    household_since_start,
)
from custom_components.benext.domain.validation.household import (
    HOUSEHOLD_CONSUMPTION_TOLERANCE_KWH,
    household_consumption,
    is_negative,
)
from custom_components.benext.domain.validation.snapshot import Counted, MeterSnapshot
from custom_components.benext.domain.validation.swaps import check_swaps, swapped
from custom_components.benext.domain.validation.validate import validate

from .validation_homes import codes, home, meter, valid_home, valid_meters


@pytest.mark.parametrize(
    ("heat_pump", "ventilation", "is_swapped"),
    [
        (50.0, 40.0, False),  # the manual: valid
        (30.0, 300.0, True),  # the manual: swapped
        (40.0, 50.0, False),  # reversed, but not significantly
        (10.0, 10.0 * SIGNIFICANT_FACTOR, True),  # the edge
        (10.0, 10.0 * SIGNIFICANT_FACTOR - 0.01, False),
        (0.0, 0.0, False),
        (0.0, 0.5, True),
    ],
)
def test_swapped(heat_pump: float, ventilation: float, is_swapped: bool) -> None:
    assert swapped(heat_pump, ventilation) is is_swapped


def _pair(heat_pump: float, ventilation: float, day: int = 10) -> dict[str, MeterSnapshot]:
    return {
        "heat_pump": meter(
            "heat_pump", Role.HEAT_PUMP, **{f"day_{day}": heat_pump}, counted=Counted(heat_pump)
        ),
        "ventilation": meter(
            "ventilation", Role.VENTILATION, **{f"day_{day}": ventilation}, counted=Counted(1.0)
        ),
    }


def test_manual_50_40_kwh_is_valid() -> None:
    validation = validate(valid_home(**_pair(50.0, 40.0)))
    assert "heat_pump_ventilation_swapped" not in codes(validation.findings)


def test_manual_30_300_kwh_is_swapped_and_only_that() -> None:
    """The swap is the one cause: neither meter's bandwidth is a finding of its own."""
    findings = validate(valid_home(**_pair(30.0, 300.0))).findings
    assert codes(findings) == ["heat_pump_ventilation_swapped"]
    assert findings[0].meter_ids == ("heat_pump", "ventilation")
    assert findings[0].category == "common_fault"
    assert findings[0].translation_placeholders == {
        "higher_amount": "30",
        "lower_amount": "300",
        "unit": "kWh",
    }


def test_the_swap_is_judged_on_day_1_before_day_10() -> None:
    findings = check_swaps(valid_home(**_pair(0.5, 5.0, day=1), day=2))
    assert codes(findings) == ["heat_pump_ventilation_swapped"]


def test_heat_pump_and_ventilation_are_not_compared_in_summer() -> None:
    """BeNext's summer bands let the ventilation count far more than the heat pump."""
    summer = valid_home(summer=True, **_pair(3.0, 15.0))
    assert check_swaps(summer) == []
    assert codes(check_swaps(valid_home(**_pair(3.0, 15.0)))) == ["heat_pump_ventilation_swapped"]


@pytest.mark.parametrize("summer", [False, True])
def test_space_heating_and_hot_tap_water_swapped(summer: bool) -> None:
    space_heating = meter("space_heating", Role.SPACE_HEATING, day_1=0.1, day_10=1.0)
    hot_tap_water = meter("hot_tap_water", Role.HOT_TAP_WATER, day_1=1.0, day_10=4.0)
    findings = validate(
        valid_home(summer=summer, space_heating=space_heating, hot_tap_water=hot_tap_water)
    ).findings
    assert codes(findings) == ["space_heating_hot_tap_water_swapped"]
    assert findings[0].meter_ids == ("space_heating", "hot_tap_water")
    assert findings[0].translation_placeholders["unit"] == "m³"


def test_no_swap_is_judged_with_two_meters_in_a_role() -> None:
    extra = meter("heat_pump_2", Role.HEAT_PUMP, day_10=30.0)
    assert check_swaps(valid_home(extra, **_pair(30.0, 300.0))) == []


def test_no_swap_before_day_1() -> None:
    """In a fresh installation's first hours the amounts are too small to decide."""
    pair = {
        "heat_pump": meter("heat_pump", Role.HEAT_PUMP, counted=Counted(0.1)),
        "ventilation": meter("ventilation", Role.VENTILATION, counted=Counted(0.5)),
    }
    assert check_swaps(valid_home(day=0.5, **pair)) == []


@pytest.mark.parametrize(
    ("production", "own_use", "found"),
    [
        (8.0, 0.2, False),
        (0.1, 0.1, False),
        (0.1, 0.1 * SIGNIFICANT_FACTOR, True),
        (0.0, 0.01, True),
    ],
)
def test_pv_production_against_its_own_use(production: float, own_use: float, found: bool) -> None:
    pv = meter("pv", Role.PV, day_1=Counted(1.0), day_10=Counted(production, own_use))
    findings = [f for f in check_correctness(valid_home(pv=pv)) if f.code != "pv_out_of_band"]
    assert codes(findings) == (["pv_own_use_above_production"] if found else [])


@pytest.mark.parametrize(
    ("night", "found"),
    [(None, False), (0.0, False), (PV_NIGHT_TOLERANCE_KWH, False), (0.02, True), (1.5, True)],
)
def test_pv_production_at_night(night: float | None, found: bool) -> None:
    pv = replace(valid_meters()[Role.PV], night_production=night)
    findings = check_correctness(valid_home(pv=pv))
    assert codes(findings) == (["pv_production_at_night"] if found else [])
    if found:
        assert findings[0].translation_placeholders == {"production": f"{night:g}"}


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        # import, export, pv, heat pump, ventilation, auxiliary
        ((10.0, 0.0, 0.0, 0.0, 0.0, 0.0), 10.0),
        ((10.0, 4.0, 6.0, 3.0, 1.0, 0.5), 7.5),
        # A heat pump counted on the wrong meter, or an unmetered home battery: negative.
        ((2.0, 5.0, 1.0, 3.0, 1.0, 0.0), -6.0),
        ((0.0, 8.0, 8.0, 0.0, 0.0, 0.0), 0.0),
    ],
)
def test_household_consumption(amounts: tuple[float, ...], expected: float) -> None:
    grid_import, grid_export, pv, heat_pump, ventilation, auxiliary = amounts
    assert household_consumption(
        grid_import=grid_import,
        grid_export=grid_export,
        pv_production=pv,
        heat_pump=heat_pump,
        ventilation=ventilation,
        auxiliary=auxiliary,
    ) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("consumption", "negative"),
    [
        (0.0, False),
        (-HOUSEHOLD_CONSUMPTION_TOLERANCE_KWH, False),
        (-HOUSEHOLD_CONSUMPTION_TOLERANCE_KWH - 0.001, True),
        (-6.0, True),
    ],
)
def test_negative_beyond_the_meters_rounding(consumption: float, negative: bool) -> None:
    assert is_negative(consumption) is negative


def test_negative_household_consumption_is_a_finding() -> None:
    """Heat pump 75 kWh from a grid import of 50: the home used less than nothing."""
    grid = meter("grid", Role.GRID, counted=Counted(50.0, 5.0))
    snapshot = valid_home(grid=grid)
    # 50 - 5 + 8 (PV) - 75 (heat pump) - 11 (ventilation)
    assert household_since_start(snapshot) == pytest.approx(-33.0)
    findings = validate(snapshot).findings
    assert codes(findings) == ["negative_household_consumption"]
    assert findings[0].category == "data_correctness"
    assert findings[0].translation_placeholders == {"consumption": "-33"}


def test_auxiliary_meters_are_subtracted() -> None:
    boiler = meter("boiler", Role.AUXILIARY, counted=Counted(60.0))
    snapshot = valid_home(boiler)
    assert household_since_start(snapshot) == pytest.approx(67.0 - 60.0)
    assert codes(
        check_correctness(valid_home(boiler, meter("x", Role.AUXILIARY, counted=Counted(10.0))))
    ) == ["negative_household_consumption"]


def test_household_waits_for_every_energy_meters_amount() -> None:
    """Without the PV meter's amount the household would look negative: not judged."""
    pv = replace(valid_meters()[Role.PV], counted=None)
    grid = meter("grid", Role.GRID, counted=Counted(10.0, 5.0))
    assert household_since_start(valid_home(pv=pv, grid=grid)) is None
    no_grid = [m for m in valid_meters().values() if m.role is not Role.GRID]
    assert household_since_start(home(*no_grid)) is None


def test_significantly_higher() -> None:
    assert significantly_higher(2.0, 1.0)
    assert not significantly_higher(1.9, 1.0)
    assert not significantly_higher(0.0, 0.0)
