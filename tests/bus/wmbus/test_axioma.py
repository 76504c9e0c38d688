"""The Axioma Qalcosonic heat meter's error code (axioma_error_codes.md) from its status text."""

from __future__ import annotations

import pytest

from custom_components.benext.bus.wmbus.axioma import (
    SEVERITY,
    AxiomaStatus,
    HeatMeterState,
    axioma_status,
)
from custom_components.benext.bus.wmbus.telegram import parse_telegram
from tests.wmbus_fixtures import WMBUS_FIXTURES

S = HeatMeterState


@pytest.mark.parametrize(
    ("status", "code", "problems"),
    [
        ("OK", "0000", set()),
        ("ERROR_FLAGS_4000", "4000", {S.NO_TEMPERATURE_DIFFERENCE}),
        # By the digit layout 0088 is T1 (C) and the flow sensor (D); the notes' "0088 = both
        # temperature sensors open" contradicts their own table: that is 0880.
        ("ERROR_FLAGS_88", "0088", {S.SUPPLY_SENSOR_FAULT, S.FLOW_SENSOR_FAILURE}),
        ("ERROR_FLAGS_880", "0880", {S.RETURN_SENSOR_FAULT, S.SUPPLY_SENSOR_FAULT}),
        ("ERROR_FLAGS_4001", "4001", {S.NO_TEMPERATURE_DIFFERENCE, S.FLOW_SENSOR_EMPTY}),
        ("ERROR_FLAGS_8000", "8000", {S.ELECTRONICS_FAILURE}),
        ("ERROR_FLAGS_2", "0002", {S.REVERSE_FLOW}),
        ("ERROR_FLAGS_1000", "1000", {S.BATTERY}),
        ("ERROR_FLAGS_2000", "2000", {S.TEMPERATURE_DIFFERENCE_HIGH}),
        ("ERROR_FLAGS_400", "0400", {S.RETURN_SENSOR_FAULT}),
        ("ERROR_FLAGS_40", "0040", {S.SUPPLY_SENSOR_FAULT}),
        ("ERROR_FLAGS_4", "0004", {S.FLOW_ABOVE_LIMIT}),
        ("ERROR_FLAGS_8", "0008", {S.FLOW_SENSOR_FAILURE}),
        ("ERROR_FLAGS_100", "0100", {S.OTHER}),  # a flag no manual describes
        ("ERROR_FLAGS_4a", "004A", {S.SUPPLY_SENSOR_FAULT, S.REVERSE_FLOW, S.FLOW_SENSOR_FAILURE}),
    ],
)
def test_error_code(status: str, code: str, problems: set[HeatMeterState]) -> None:
    """The code as the meter shows it, and every flag set in each digit."""
    assert axioma_status(status) == AxiomaStatus(code, frozenset(problems), ())


@pytest.mark.parametrize(
    ("code", "state", "serious"),
    [
        ("0000", S.OK, False),
        ("4000", S.NO_TEMPERATURE_DIFFERENCE, False),
        ("0088", S.FLOW_SENSOR_FAILURE, True),
        ("0880", S.SUPPLY_SENSOR_FAULT, True),
        ("4001", S.FLOW_SENSOR_EMPTY, False),
        ("8000", S.ELECTRONICS_FAILURE, True),
        ("0002", S.REVERSE_FLOW, False),
        ("0800", S.RETURN_SENSOR_FAULT, True),
        ("0400", S.RETURN_SENSOR_FAULT, False),
        ("3000", S.TEMPERATURE_DIFFERENCE_HIGH, False),
        ("8FFF", S.ELECTRONICS_FAILURE, True),
        ("0F07", S.RETURN_SENSOR_FAULT, True),
        ("004A", S.FLOW_SENSOR_FAILURE, True),
        ("0100", S.OTHER, False),
    ],
)
def test_state_and_seriousness(code: str, state: HeatMeterState, serious: bool) -> None:
    """The most serious problem; summation stops when a digit is 8 or more."""
    parsed = axioma_status(f"ERROR_FLAGS_{code}")
    assert parsed is not None
    assert (parsed.code, parsed.state, parsed.serious) == (code, state, serious)


@pytest.mark.parametrize(
    ("status", "code", "words", "state"),
    [
        ("ERROR_FLAGS_4000 TEMPORARY_ERROR", "4000", ("TEMPORARY_ERROR",), S.OTHER),
        ("TEMPORARY_ERROR", "0000", ("TEMPORARY_ERROR",), S.OTHER),
        ("OK POWER_LOW UNKNOWN_C0", "0000", ("POWER_LOW", "UNKNOWN_C0"), S.OTHER),
        ("ERROR_FLAGS_1 PERMANENT_ERROR", "0001", ("PERMANENT_ERROR",), S.FLOW_SENSOR_EMPTY),
    ],
)
def test_status_words(
    status: str, code: str, words: tuple[str, ...], state: HeatMeterState
) -> None:
    """TPL status words are kept; alone they are OTHER, beside a code's problem they rank below."""
    parsed = axioma_status(status)
    assert parsed is not None
    assert (parsed.code, parsed.words, parsed.state) == (code, words, state)


@pytest.mark.parametrize(
    "status",
    [
        *("", "  ", "ok", "4000", "OK hello"),
        *("ERROR_FLAGS_12345", "ERROR_FLAGS_XY", "ERROR_FLAGS_", "ERROR_FLAGS_1 ERROR_FLAGS_2"),
    ],
)
def test_unparseable_status(status: str) -> None:
    """Not a status wmbusmeters prints for this meter."""
    assert axioma_status(status) is None


def test_fixture_statuses() -> None:
    """The qualcosonic fixtures: OK twice, and the synthetic 4000, the same in both versions."""
    fixtures = [f for f in WMBUS_FIXTURES if f.driver == "qualcosonic"]
    codes = {
        json["status"]: axioma_status(parse_telegram(json).texts["status"])
        for fixture in fixtures
        for json in (fixture.expected, fixture.expected_3)
    }
    assert codes == {
        "OK": AxiomaStatus("0000", frozenset(), ()),
        "ERROR_FLAGS_4000": AxiomaStatus("4000", frozenset({S.NO_TEMPERATURE_DIFFERENCE}), ()),
    }


def test_severity_ranks_every_problem_once() -> None:
    """Every state but OK has a rank; "no temperature difference" is the least serious."""
    assert sorted(SEVERITY) == sorted(set(HeatMeterState) - {S.OK})
    assert SEVERITY[-1] is S.NO_TEMPERATURE_DIFFERENCE
    assert SEVERITY[0] is S.ELECTRONICS_FAILURE
