"""wmbusmeters' JSON, 2.0.0 and 3.0.0 alike, read into one canonical telegram.

The JSON is copied from ../shared/fixtures/wmbus_telegrams.json (see tests/fixtures/README.md).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
import json
from typing import Any

import pytest

from custom_components.benext.bus.wmbus.dates import meter_date
from custom_components.benext.bus.wmbus.telegram import (
    ENVELOPE_KEYS,
    TelegramError,
    WmbusTelegram,
    parse_body,
    parse_telegram,
)
from tests.wmbus_fixtures import WMBUS_FIXTURE_FILE, WMBUS_FIXTURES, WmbusFixture, fixture_id

FIXTURE_TIME = datetime(1111, 11, 11, 11, 11, 11, tzinfo=UTC)

# Fields only one version prints for a fixture (by index): for Multical 21 "Vadden" (1) 3.0.0
# prints no external temperature (2.0.0: 3 °C) but a minimum flow temperature; it adds the
# flowIQ's flow temperature (5, 14) and leaves out a flowIQ's max flow of 0 (6).
ONLY_2_0_0 = {1: {"external_temperature_c"}, 6: {"max_flow_m3h"}}
ONLY_3_0_0 = {1: {"min_flow_temperature_c"}, 5: {"flow_temperature_c"}, 14: {"flow_temperature_c"}}
# A Kamstrup water meter without a temperature sensor sends 127 °C for it (wmbusmeters
# issues #53 and #490): not a value.
NO_SENSOR = {("flow_temperature_c", 127)}
# Texts that differ but mean the same: dates (checked with meter_date) and a flowIQ status
# bit 3.0.0 names (TAMPER; 2.0.0 prints ERROR_FLAGS_10; see test_alarms.py).
DATE_TEXTS = {13: {"current_date", "previous_date"}}
STATUS_TEXTS = {14: {"status"}}


def both_versions(fixture: WmbusFixture) -> tuple[WmbusTelegram, WmbusTelegram]:
    """The fixture's 2.0.0 and 3.0.0 JSON, parsed."""
    return parse_telegram(fixture.expected), parse_telegram(fixture.expected_3)


@pytest.mark.parametrize("fixture", WMBUS_FIXTURES, ids=fixture_id)
def test_2_0_0_json_is_read_as_printed(fixture: WmbusFixture) -> None:
    """Every numeric and text field of 2.0.0's JSON arrives under its own name."""
    telegram = parse_telegram(fixture.expected)
    fields = {k: v for k, v in fixture.expected.items() if k not in ENVELOPE_KEYS}
    assert telegram.meter_id == fixture.meter_id
    assert telegram.driver == fixture.driver
    assert telegram.media == fixture.expected["media"]
    assert telegram.timestamp == FIXTURE_TIME
    assert dict(telegram.values) == {
        k: v for k, v in fields.items() if not isinstance(v, str) and (k, v) not in NO_SENSOR
    }
    assert dict(telegram.texts) == {k: v for k, v in fields.items() if isinstance(v, str)}
    assert (telegram.rssi_dbm, telegram.error, telegram.decryption_failed) == (None, None, False)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        (
            {"meter": "multical21", "flow_temperature_c": 127, "external_temperature_c": 19},
            {"total_m3": 6.408, "external_temperature_c": 19},
        ),
        (
            {
                "meter": "kamwater",
                "flow_temperature_c": 127,
                "min_external_temperature_last_month_c": 127,
            },
            {"total_m3": 6.408},
        ),
    ],
    ids=["2.0.0", "3.0.0"],
)
def test_a_kamstrup_without_temperature_sensor_sends_no_temperature(
    printed: dict[str, Any], expected: dict[str, float]
) -> None:
    """127 °C is a Kamstrup water meter's "no such sensor": no value; a real one is kept."""
    telegram = parse_telegram(
        {**printed, "id": "76348799", "total_m3": 6.408, "current_status": ""}
    )
    assert telegram.driver == "multical21"
    assert dict(telegram.values) == expected


def test_127_is_a_value_for_other_meters() -> None:
    """The marker is the driver's: a heat cost allocator's 127 units are units."""
    telegram = parse_telegram(
        {"meter": "qcaloric", "id": "78563412", "current_consumption_hca": 127}
    )
    assert dict(telegram.values) == {"current_consumption_hca": 127}


@pytest.mark.parametrize("fixture", WMBUS_FIXTURES, ids=fixture_id)
def test_3_0_0_json_gives_the_same_telegram(fixture: WmbusFixture) -> None:
    """3.0.0's driver and field names are mapped back to 2.0.0's; the values are equal."""
    old, new = both_versions(fixture)
    assert (new.meter_id, new.driver, new.media, new.timestamp) == (
        old.meter_id,
        old.driver,
        old.media,
        old.timestamp,
    )
    assert set(old.values) - set(new.values) == ONLY_2_0_0.get(fixture.index, set())
    assert set(new.values) - set(old.values) == ONLY_3_0_0.get(fixture.index, set())
    assert {k: new.values[k] for k in old.values if k in new.values} == {
        k: v for k, v in old.values.items() if k in new.values
    }
    assert set(new.texts) == set(old.texts)
    differing = {k for k in old.texts if old.texts[k] != new.texts[k]}
    dates = DATE_TEXTS.get(fixture.index, set())
    assert differing == dates | STATUS_TEXTS.get(fixture.index, set())
    for name in dates:
        assert meter_date(old.texts[name]) == meter_date(new.texts[name]) is not None


def test_field_renames_of_3_x() -> None:
    """The renamed fields of the notes' table arrive under their 2.0.0 names."""
    (multical21,) = (f for f in WMBUS_FIXTURES if f.index == 0)
    old, new = both_versions(multical21)
    assert "min_external_temperature_last_month_c" in multical21.expected_3
    assert new.values["external_temperature_c"] == old.values["external_temperature_c"] == 19
    qcaloric = next(f for f in WMBUS_FIXTURES if f.driver == "qcaloric")
    assert "device_datetime" in qcaloric.expected_3
    assert parse_telegram(qcaloric.expected_3).texts["device_date_time"] == "2019-02-20 11:32"
    assert "device_datetime" not in parse_telegram(qcaloric.expected_3).texts


def test_flowiq_external_temperature_prefers_last_month() -> None:
    """With both 3.x minima, last month's becomes 2.0.0's field; last day's keeps its name."""
    telegram = parse_telegram(
        {
            "meter": "kamwater",
            "id": "52525252",
            "min_external_temperature_last_day_c": 19,
            "min_external_temperature_last_month_c": 11,
        }
    )
    assert telegram.driver == "flowiq2200"
    assert dict(telegram.values) == {
        "min_external_temperature_c": 11,
        "min_external_temperature_last_day_c": 19,
    }


def test_a_2_0_0_name_beats_its_3_x_name() -> None:
    """Should a JSON hold both names, the 2.0.0 one is kept as it is."""
    telegram = parse_telegram(
        {"meter": "qcaloric", "id": "78563412", "device_date_time": "a", "device_datetime": "b"}
    )
    assert dict(telegram.texts) == {"device_date_time": "a", "device_datetime": "b"}


def test_radio_fields_and_receive_time() -> None:
    """Fed as an rtlwmbus line, the telegram has the radio's signal strength and a real time."""
    entry: dict[str, Any] = json.loads(WMBUS_FIXTURE_FILE.read_text())[0]
    for key in ("expected_json_rtlwmbus_2_0_0", "expected_json_rtlwmbus_3_0_0"):
        telegram = parse_telegram(json.loads(entry[key]))
        assert telegram.rssi_dbm == 97
        assert telegram.timestamp == datetime(2020, 1, 23, 10, 25, 13, tzinfo=UTC)
        assert "device" not in telegram.texts
        assert telegram.values["total_m3"] == 6.408


def test_wrong_key_is_a_decryption_failure() -> None:
    """What wmbusmeters prints for a wrong key (both versions): epoch time and an error."""
    telegram = parse_telegram(
        json.loads(
            '{"_":"telegram","media":"cold water","meter":"multical21","name":"",'
            '"id":"76348799","timestamp":"1970-01-01T00:00:00Z", '
            '"error": "decryption failed, please check key", "telegram": "2A442D2C"}'
        )
    )
    assert telegram.decryption_failed
    assert telegram.error == "decryption failed, please check key"
    assert telegram.timestamp == datetime(1970, 1, 1, tzinfo=UTC)
    assert (dict(telegram.values), dict(telegram.texts)) == ({}, {})


def test_partial_decoding_warning_is_no_field() -> None:
    """2.0.0's `stdin:jsonl` remark on bytes left unread is not a text of the meter."""
    printed = {
        **WMBUS_FIXTURES[5].expected,
        "warning": "telegram only partially decoded (23 of 29 bytes)",
        "telegram": WMBUS_FIXTURES[5].telegram_hex,
    }
    assert parse_telegram(printed) == parse_telegram(WMBUS_FIXTURES[5].expected)


def test_epoch_or_error_alone_is_a_decryption_failure() -> None:
    """Either sign is enough; an empty error is none."""
    good = parse_telegram(WMBUS_FIXTURES[0].expected)
    assert replace(good, timestamp=datetime(1970, 1, 1, 0, 0, 5, tzinfo=UTC)).decryption_failed
    assert replace(good, error="decryption failed").decryption_failed
    assert replace(good, timestamp=None).decryption_failed is False
    assert parse_telegram({**WMBUS_FIXTURES[0].expected, "error": ""}).error is None


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2026-11-22T01:51:15Z", datetime(2026, 11, 22, 1, 51, 15, tzinfo=UTC)),
        ("2026-11-22T02:51:15+01:00", datetime(2026, 11, 22, 1, 51, 15, tzinfo=UTC)),
        ("2026-11-22 01:51:15", datetime(2026, 11, 22, 1, 51, 15, tzinfo=UTC)),
        ("yesterday", None),
        (1700000000, None),
    ],
)
def test_timestamp(stamp: object, expected: datetime | None) -> None:
    """The receive time in UTC; a time without an offset is UTC; anything else is no time."""
    telegram = parse_telegram({"meter": "cma12w", "id": "66666666", "timestamp": stamp})
    assert telegram.timestamp == expected
    assert telegram.timestamp is None or telegram.timestamp.tzinfo is UTC


def test_only_numbers_are_values_and_only_strings_texts() -> None:
    """Booleans, nulls, lists, objects and non-finite numbers are left out."""
    telegram = parse_telegram(
        {
            "meter": "somemeter",
            "id": 3016408,
            "total_m3": 1,
            "power_kw": -3.706,
            "alarm": True,
            "missing_c": None,
            "list_m3": [1],
            "nested": {"a": 1},
            "nan_c": float("nan"),
            "huge_c": 10**400,
            "status": "OK",
            "rssi_dbm": True,
        }
    )
    assert telegram.meter_id == "03016408"
    assert telegram.driver == "somemeter"
    assert telegram.media == ""
    assert dict(telegram.values) == {"total_m3": 1.0, "power_kw": -3.706}
    assert dict(telegram.texts) == {"status": "OK"}
    assert telegram.rssi_dbm is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ([WMBUS_FIXTURES[0].expected], "not_object"),
        ("telegram", "not_object"),
        (None, "not_object"),
        ({"_": "other", "meter": "cma12w", "id": "66666666"}, "not_telegram"),
        ({"_": "decode", "telegram": "2A44", "key": "NOKEY"}, "not_telegram"),
        ({"id": "66666666"}, "not_telegram"),
        ({"meter": "", "id": "66666666"}, "not_telegram"),
        ({"meter": 7, "id": "66666666"}, "not_telegram"),
        ({"meter": "cma12w"}, "bad_id"),
        ({"meter": "cma12w", "id": "6666666"}, "bad_id"),
        ({"meter": "cma12w", "id": "666666666"}, "bad_id"),
        ({"meter": "cma12w", "id": "6666666A"}, "bad_id"),
        ({"meter": "cma12w", "id": "٦٦٦٦٦٦٦٦"}, "bad_id"),
        ({"meter": "cma12w", "id": 100_000_000}, "bad_id"),
        ({"meter": "cma12w", "id": -1}, "bad_id"),
        ({"meter": "cma12w", "id": True}, "bad_id"),
        ({"meter": "cma12w", "id": 66666666.0}, "bad_id"),
    ],
)
def test_bad_input_says_why(value: object, reason: str) -> None:
    """Whatever is not a telegram raises TelegramError with its reason."""
    with pytest.raises(TelegramError) as raised:
        parse_telegram(value)
    assert raised.value.reason == reason
    assert isinstance(raised.value, ValueError)
    assert str(raised.value).startswith(reason)


def test_error_message() -> None:
    """The message is the reason, with the detail when there is one."""
    assert str(TelegramError("bad_id")) == "bad_id"
    assert str(TelegramError("bad_id", "'123'")) == "bad_id: '123'"


FIRST, SECOND = WMBUS_FIXTURES[0].expected, WMBUS_FIXTURES[7].expected_3


def compact(obj: object) -> str:
    """JSON on one line, as wmbusmeters 3.x prints it."""
    return json.dumps(obj, separators=(",", ":"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (json.dumps(FIRST), [FIRST]),
        (json.dumps([FIRST, SECOND]), [FIRST, SECOND]),
        (f"{compact(FIRST)}\n{compact(SECOND)}\n", [FIRST, SECOND]),
        (f"{json.dumps(FIRST, indent=4)}\r\n{json.dumps(SECOND, indent=4)}", [FIRST, SECOND]),
        (json.dumps(FIRST) + json.dumps(SECOND), [FIRST, SECOND]),
        (
            f" {json.dumps([FIRST, SECOND])}\n{json.dumps(FIRST, indent=2)}\t",
            [FIRST, SECOND, FIRST],
        ),
    ],
    ids=["one object", "array", "compact lines", "pretty-printed", "back to back", "mixed"],
)
def test_body_forms(text: str, expected: list[dict[str, Any]]) -> None:
    """One object, an array, or several objects in a row: every object, in order."""
    assert parse_body(text) == expected


def test_array_items_are_returned_as_they_are() -> None:
    """parse_telegram judges each item, so one bad item does not lose the others."""
    assert parse_body('[{"a": 1}, 5, [2]]') == [{"a": 1}, 5, [2]]
    assert parse_body(" \n\t") == []


@pytest.mark.parametrize(
    "text",
    [
        "garbage",
        '{"_":"telegram","id":"76348799"',
        '{"a": 1} trailing',
        '{"a": 1},{"b": 2}',
        "5",
        '"text"',
        "null",
    ],
)
def test_body_that_is_not_json_objects(text: str) -> None:
    """Garbage, a cut-off object, or a bare JSON value raise ValueError."""
    # ValueError is the API (json.JSONDecodeError is one); the messages are json's own.
    with pytest.raises(ValueError):  # noqa: PT011
        parse_body(text)


def test_text_where_a_number_belongs_is_skipped() -> None:
    """A text under a field named by its unit is no value; the telegram's others are kept."""
    value = {
        **WMBUS_FIXTURES[1].expected,
        "flow_temperature_c": "warm",
        "total_m3": "20.015",
        "max_flow_m3h": [0.3],
    }
    telegram = parse_telegram(value)
    assert "flow_temperature_c" not in telegram.values
    assert "flow_temperature_c" not in telegram.texts
    assert "total_m3" not in {**telegram.values, **telegram.texts}
    assert "max_flow_m3h" not in {**telegram.values, **telegram.texts}
    assert telegram.values["external_temperature_c"] == 3
    assert telegram.texts["status"] == "OK"


def test_deeply_nested_body_is_no_json() -> None:
    """JSON nested deeper than the decoder goes is a ValueError, not a RecursionError."""
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_body("[" * 100_000)
