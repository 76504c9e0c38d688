"""Properties of the household consumption and the swap rule, for any amounts."""

from __future__ import annotations

from hypothesis import given, strategies as st
import pytest

from custom_components.benext.domain.roles import Role
from custom_components.benext.domain.validation.correctness import (
    check_correctness,
    household_since_start,
)
from custom_components.benext.domain.validation.household import household_consumption
from custom_components.benext.domain.validation.snapshot import Counted
from custom_components.benext.domain.validation.swaps import check_swaps, swapped
from custom_components.benext.domain.validation.validate import validate

from .validation_homes import meter, valid_home

kwh = st.floats(min_value=0.0, max_value=1e5, allow_nan=False)
amounts = st.fixed_dictionaries(
    {
        "grid_import": kwh,
        "grid_export": kwh,
        "pv_production": kwh,
        "heat_pump": kwh,
        "ventilation": kwh,
        "auxiliary": kwh,
    }
)


@given(amounts=amounts, shifted=kwh)
def test_what_the_heat_pump_takes_from_the_grid_is_not_the_households(
    amounts: dict[str, float], shifted: float
) -> None:
    """More grid import counted on the heat pump's meter leaves the household unchanged."""
    before = household_consumption(**amounts)
    amounts["grid_import"] += shifted
    amounts["heat_pump"] += shifted
    assert household_consumption(**amounts) == pytest.approx(before, abs=1e-6)


@given(amounts=amounts, more=st.floats(min_value=0.001, max_value=1e3))
def test_each_building_meter_lowers_the_household(amounts: dict[str, float], more: float) -> None:
    before = household_consumption(**amounts)
    for role in ("heat_pump", "ventilation", "auxiliary", "grid_export"):
        changed = {**amounts, role: amounts[role] + more}
        assert household_consumption(**changed) < before
    assert (
        household_consumption(**{**amounts, "pv_production": amounts["pv_production"] + more})
        > before
    )


@given(grid_import=kwh, grid_export=kwh)
def test_without_other_meters_the_household_is_the_grids_balance(
    grid_import: float, grid_export: float
) -> None:
    assert household_consumption(grid_import=grid_import, grid_export=grid_export) == (
        grid_import - grid_export
    )


@given(amounts=amounts, boilers=st.lists(kwh, max_size=3))
def test_the_home_adds_its_meters_up_and_finds_a_negative_household(
    amounts: dict[str, float], boilers: list[float]
) -> None:
    home = valid_home(
        *(meter(f"aux_{n}", Role.AUXILIARY, counted=Counted(b)) for n, b in enumerate(boilers)),
        grid=meter(
            "grid", Role.GRID, counted=Counted(amounts["grid_import"], amounts["grid_export"])
        ),
        pv=meter("pv", Role.PV, counted=Counted(amounts["pv_production"])),
        heat_pump=meter("heat_pump", Role.HEAT_PUMP, counted=Counted(amounts["heat_pump"])),
        ventilation=meter("ventilation", Role.VENTILATION, counted=Counted(amounts["ventilation"])),
    )
    expected = household_consumption(**{**amounts, "auxiliary": sum(boilers)})
    assert household_since_start(home) == pytest.approx(expected, abs=1e-6)
    found = any(f.code == "negative_household_consumption" for f in check_correctness(home))
    assert found is (expected < -0.1)


positive = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)


@given(higher=positive, lower=positive)
def test_an_expected_order_is_never_a_swap(higher: float, lower: float) -> None:
    if higher >= lower:
        assert not swapped(higher, lower)


@given(a=positive, b=positive)
def test_a_pair_is_swapped_one_way_at_most(a: float, b: float) -> None:
    assert not (swapped(a, b) and swapped(b, a))


@given(
    a=st.integers(min_value=0, max_value=10**6),
    b=st.integers(min_value=0, max_value=10**6),
    scale=st.sampled_from([0.001, 0.5, 10.0, 1000.0]),
)
def test_a_swap_does_not_depend_on_the_unit(a: int, b: int, scale: float) -> None:
    """kWh or Wh, m3 or litres: the same meters are swapped or not."""
    assert swapped(a, b) is swapped(a * scale, b * scale)


@given(heat_pump=st.floats(min_value=0.0, max_value=500.0), ventilation=st.floats(0.0, 500.0))
def test_a_swapped_pair_is_one_finding_and_no_bandwidth_of_theirs(
    heat_pump: float, ventilation: float
) -> None:
    home = valid_home(
        heat_pump=meter("heat_pump", Role.HEAT_PUMP, day_1=8.0, day_10=heat_pump),
        ventilation=meter("ventilation", Role.VENTILATION, day_1=1.0, day_10=ventilation),
    )
    swaps = check_swaps(home)
    assert bool(swaps) is swapped(heat_pump, ventilation)
    if swaps:
        named = {m for f in check_correctness(home) for m in f.meter_ids}
        assert not named & {"heat_pump", "ventilation"}
        assert validate(home).overall == "failed"
