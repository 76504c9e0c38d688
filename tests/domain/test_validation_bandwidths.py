"""BeNext's bandwidths on day 1 and day 10, winter and summer, and their edges."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from custom_components.benext.domain.roles import Role
from custom_components.benext.domain.validation.bandwidths import BANDWIDTHS, bandwidth
from custom_components.benext.domain.validation.correctness import check_correctness
from custom_components.benext.domain.validation.timeline import Season, checkpoint, season_of
from custom_components.benext.domain.validation.validate import validate

from .validation_homes import WINTER_START, codes, home, meter, valid_home, valid_meters

W, S = Season.WINTER, Season.SUMMER


@pytest.mark.parametrize(
    ("day", "season"),
    [
        (date(2026, 1, 15), W),
        (date(2026, 4, 30), W),
        (date(2026, 5, 1), S),
        (date(2026, 9, 30), S),
        (date(2026, 10, 1), W),
        (date(2026, 12, 31), W),
    ],
)
def test_season_of(day: date, season: Season) -> None:
    """October up to and including April is winter, May to September summer."""
    assert season_of(day) is season


def test_the_season_is_that_of_the_validation_start() -> None:
    assert valid_home().season is W
    assert valid_home(summer=True).season is S


def test_checkpoint_counts_whole_days_from_the_start() -> None:
    start = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert checkpoint(start, 1) == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert checkpoint(start, 10) == datetime(2026, 3, 11, 9, 30, tzinfo=UTC)


# The manual's numbers, as issue 14 lists them.
MANUAL = [
    (Role.PV, 1, W, 0.01, 10),
    (Role.PV, 1, S, 0.01, 10),
    (Role.PV, 10, W, 0.01, 10),
    (Role.PV, 10, S, 10, 100),
    (Role.HEAT_PUMP, 1, W, 0.01, 15),
    (Role.HEAT_PUMP, 1, S, 0.01, 5),
    (Role.HEAT_PUMP, 10, W, 50, 100),
    (Role.HEAT_PUMP, 10, S, 2, 15),
    (Role.VENTILATION, 1, W, 0.01, 10),
    (Role.VENTILATION, 1, S, 0.01, 10),
    (Role.VENTILATION, 10, W, 1, 20),
    (Role.VENTILATION, 10, S, 1, 20),
    (Role.SPACE_HEATING, 1, W, 0.001, 10),
    (Role.SPACE_HEATING, 1, S, 0.001, 10),
    (Role.SPACE_HEATING, 10, W, 0.5, 20),
    (Role.SPACE_HEATING, 10, S, 0.5, 20),
    (Role.HOT_TAP_WATER, 1, W, 0.001, 5),
    (Role.HOT_TAP_WATER, 1, S, 0.001, 5),
    (Role.HOT_TAP_WATER, 10, W, 0.2, 5),
    (Role.HOT_TAP_WATER, 10, S, 0.2, 5),
]


@pytest.mark.parametrize(("role", "day", "season", "low", "high"), MANUAL)
def test_bandwidths_are_the_manuals(
    role: Role, day: int, season: Season, low: float, high: float
) -> None:
    band = bandwidth(role, day, season)
    assert band is not None
    assert (band.low, band.high) == (low, high)


def test_no_other_bandwidths() -> None:
    assert {(r, d, s) for r, d, s, _, _ in MANUAL} == {
        (role, day, season)
        for role, days in BANDWIDTHS.items()
        for day, seasons in days.items()
        for season in seasons
    }
    assert bandwidth(Role.GRID, 1, W) is None
    assert bandwidth(Role.PV, 5, W) is None


EDGES = [
    pytest.param(role, day, season, amount, inside, id=f"{role}-day{day}-{season}-{amount:g}")
    for role, day, season, low, high in MANUAL
    for amount, inside in (
        (low, True),
        (high, True),
        (low * 0.99, False),
        (high * 1.01, False),
    )
]


@pytest.mark.parametrize(("role", "day", "season", "amount", "inside"), EDGES)
def test_each_bandwidths_edges(
    role: Role, day: int, season: Season, amount: float, inside: bool
) -> None:
    """A bound itself is inside; just beyond it is a finding of that role, day and season."""
    valid = valid_meters(summer=season is S)[role]
    changed = meter(
        valid.meter_id,
        role,
        day_1=amount if day == 1 else valid.counted_day_1,
        day_10=amount if day == 10 else valid.counted_day_10,
    )
    home = valid_home(summer=season is S, **{role.value: changed})
    findings = check_correctness(home)
    if inside:
        assert findings == []
    else:
        assert codes(findings) == [f"{role.value}_out_of_band"]
        assert findings[0].meter_ids == (valid.meter_id,)
        assert findings[0].translation_placeholders["day"] == str(day)
        assert findings[0].translation_placeholders["season"] == season.value


def test_day_1_and_day_10_differ() -> None:
    """60 kWh of heat pump is too much by day 1 and right by day 10 (winter)."""
    heat_pump = meter("heat_pump", Role.HEAT_PUMP, day_1=60.0, day_10=60.0)
    findings = check_correctness(valid_home(heat_pump=heat_pump))
    assert [(f.code.value, f.subject) for f in findings] == [("heat_pump_out_of_band", "day_1")]


def test_winter_and_summer_differ() -> None:
    """By day 10, 8 kWh of heat pump is right in summer and far too little in winter."""
    heat_pump = meter("heat_pump", Role.HEAT_PUMP, day_1=1.0, day_10=8.0)
    assert check_correctness(valid_home(heat_pump=heat_pump, summer=True)) == []
    winter = check_correctness(valid_home(heat_pump=heat_pump))
    assert [(f.code.value, f.subject) for f in winter] == [("heat_pump_out_of_band", "day_10")]
    assert winter[0].translation_placeholders == {
        "amount": "8",
        "day": "10",
        "high": "100",
        "low": "50",
        "season": "winter",
        "unit": "kWh",
    }


@pytest.mark.parametrize(
    ("temperature", "inside"), [(15.0, True), (25.0, True), (14.9, False), (25.1, False)]
)
def test_indoor_temperature_edges(temperature: float, inside: bool) -> None:
    room = meter("living_room", Role.INDOOR_CLIMATE, temperature=temperature)
    findings = check_correctness(valid_home(indoor_climate=room))
    assert codes(findings) == ([] if inside else ["indoor_temperature_out_of_band"])


def test_a_day_not_yet_passed_is_not_judged_and_pending() -> None:
    """On day 5 only day 1's amounts exist; data correctness waits for day 10."""
    meters = valid_meters()
    early = [
        meter(m.meter_id, m.role, day_1=m.counted_day_1, counted=m.counted)
        if m.counted_day_10
        else m
        for m in meters.values()
    ]
    validation = validate(home(*early, start=WINTER_START, day=5))
    assert validation.findings == ()
    assert validation.verdicts["data_correctness"] == "pending"
    # A banded meter without its day-10 amount after day 10 (no statistics): still pending.
    assert validate(home(*early, day=11)).verdicts["data_correctness"] == "pending"
    assert validate(valid_home()).verdicts["data_correctness"] == "passed"
