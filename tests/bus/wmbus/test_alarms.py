"""Water meter alarms from wmbusmeters' status text, 2.0.0 and 3.0.0 alike."""

from __future__ import annotations

import pytest

from custom_components.benext.bus.wmbus.alarms import (
    DURATION_FIELDS,
    WaterAlarm,
    alarm_duration,
    alarms_of_driver,
    water_alarms,
)
from custom_components.benext.bus.wmbus.telegram import parse_telegram
from tests.wmbus_fixtures import WMBUS_FIXTURES, WmbusFixture, fixture_id

LEAK, BURST, DRY, REVERSE, TAMPER = (
    WaterAlarm.LEAK,
    WaterAlarm.BURST,
    WaterAlarm.DRY,
    WaterAlarm.REVERSE,
    WaterAlarm.TAMPER,
)
# Per fixture index: the alarms that are on, and for how long the meter says.
FIXTURE_ALARMS: dict[int, dict[WaterAlarm, str | None]] = {
    0: {DRY: "22-31 days"},  # DRY
    2: {DRY: "22-31 days"},
    3: {LEAK: "2-3 days"},  # LEAK (synthetic)
    4: {BURST: "1-8 hours", LEAK: "9-24 hours"},  # "BURST LEAK" (synthetic)
    14: {TAMPER: None},  # 2.0.0 "ERROR_FLAGS_10", 3.0.0 "TAMPER" (synthetic)
}
# Every other fixture has none: "OK", flowIQ "ERROR_FLAGS_800", Lansen's PERMANENT_ERROR, ...


@pytest.mark.parametrize("fixture", WMBUS_FIXTURES, ids=fixture_id)
def test_fixture_alarms_in_both_versions(fixture: WmbusFixture) -> None:
    """Both versions' status gives the same alarms, with the meter's durations."""
    expected = FIXTURE_ALARMS.get(fixture.index, {})
    for json in (fixture.expected, fixture.expected_3):
        telegram = parse_telegram(json)
        assert water_alarms(telegram.driver, telegram.texts.get("status", "")) == set(expected)
        assert {alarm: alarm_duration(telegram.texts, alarm) for alarm in expected} == expected


def test_durations_of_alarms_that_are_off() -> None:
    """A Multical 21 prints "" for an alarm that is off: no duration."""
    texts = parse_telegram(WMBUS_FIXTURES[1].expected).texts
    assert [alarm_duration(texts, alarm) for alarm in DURATION_FIELDS] == [None] * 4
    assert alarm_duration({}, DRY) is None


@pytest.mark.parametrize(
    ("driver", "status", "alarms"),
    [
        ("flowiq2200", "ERROR_FLAGS_10 LEAK", {TAMPER, LEAK}),
        ("flowiq2200", "ERROR_FLAGS_830", {TAMPER}),
        ("flowiq2200", "REVERSE BURST DRY", {REVERSE, BURST, DRY}),
        ("flowiq2200", "ERROR_FLAGS_XYZ", set()),
        ("flowiq2200", "ERROR_FLAGS_", set()),
        ("multical21", "TAMPER", set()),  # no tamper alarm on a Multical 21
        ("multical21", "ERROR_FLAGS_10 REVERSE", {REVERSE}),
        ("q400", "ERROR_FLAGS_1", {DRY}),
        ("q400", "ERROR_FLAGS_2 TEMPORARY_ERROR", {REVERSE}),
        ("q400", "ERROR_FLAGS_4003", {DRY, REVERSE}),
        ("q400", "ERROR_FLAGS_4", set()),
        ("q400", "LEAK", set()),
        ("qualcosonic", "ERROR_FLAGS_2", set()),
        ("kamwater", "LEAK", set()),  # not a canonical driver name
        ("multical21", "", set()),
    ],
)
def test_status_flags(driver: str, status: str, alarms: set[WaterAlarm]) -> None:
    """Named flags and ERROR_FLAGS bits, limited to the alarms the driver has."""
    assert water_alarms(driver, status) == alarms


def test_alarms_of_driver() -> None:
    """Kamstrup meters have four alarms (flowIQ also tamper); the Axioma W1 two."""
    assert alarms_of_driver("multical21") == (LEAK, BURST, DRY, REVERSE)
    assert alarms_of_driver("flowiq2200") == (LEAK, BURST, DRY, REVERSE, TAMPER)
    assert alarms_of_driver("q400") == (DRY, REVERSE)
    assert alarms_of_driver("qualcosonic") == ()
    assert alarms_of_driver("unknown") == ()
