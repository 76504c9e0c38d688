"""Tasmota JSON of gPlug readers to P1Readings, with payloads captured from real readers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.benext.bus.p1.reading import P1Quantity, Tariff
from custom_components.benext.bus.p1.tasmota import TasmotaPayloadError, reading_from_tasmota
from tests.p1_fixtures import GPLUGD_SENSOR, GPLUGM_STATUS


def test_gplugd_sensor_message() -> None:
    """Power in kW becomes W; phase powers are already W; the DSMR serial is decoded."""
    reading = reading_from_tasmota(GPLUGD_SENSOR)

    assert reading.values == {
        P1Quantity.POWER_IMPORT: 0.0,
        P1Quantity.POWER_EXPORT: 14421.0,
        P1Quantity.POWER_IMPORT_L1: 0.0,
        P1Quantity.POWER_IMPORT_L2: 0.0,
        P1Quantity.POWER_IMPORT_L3: 0.0,
        P1Quantity.POWER_EXPORT_L1: 4954.0,
        P1Quantity.POWER_EXPORT_L2: 4832.0,
        P1Quantity.POWER_EXPORT_L3: 4632.0,
        P1Quantity.VOLTAGE_L1: 229.1,
        P1Quantity.VOLTAGE_L2: 229.5,
        P1Quantity.VOLTAGE_L3: 229.1,
        P1Quantity.CURRENT_L1: 22.0,
        P1Quantity.CURRENT_L2: 21.0,
        P1Quantity.CURRENT_L3: 20.0,
        P1Quantity.ENERGY_IMPORT_T1: 18752.361,
        P1Quantity.ENERGY_IMPORT_T2: 24226.039,
        P1Quantity.ENERGY_EXPORT_T1: 118116.025,
        P1Quantity.ENERGY_EXPORT_T2: 50.288,
    }
    assert reading.equipment_id == "10487029"
    assert reading.tariff is None
    assert reading.meter_time is None  # local time without an offset
    assert reading.mbus == ()


def test_gplugm_status_answer() -> None:
    """The `Status 10` answer: totals and tariffs, a plain serial, reactive energy left out."""
    reading = reading_from_tasmota(GPLUGM_STATUS)

    assert reading.values == {
        P1Quantity.POWER_IMPORT: 10.0,
        P1Quantity.POWER_EXPORT: 0.0,
        P1Quantity.CURRENT_L1: 0.35,
        P1Quantity.CURRENT_L2: 0.42,
        P1Quantity.CURRENT_L3: 0.12,
        P1Quantity.ENERGY_IMPORT: 168.754,
        P1Quantity.ENERGY_EXPORT: 604.61,
        P1Quantity.ENERGY_IMPORT_T1: 130.675,
        P1Quantity.ENERGY_IMPORT_T2: 38.07,
        P1Quantity.ENERGY_EXPORT_T1: 114.819,
        P1Quantity.ENERGY_EXPORT_T2: 489.779,
    }
    assert reading.equipment_id == "72913313"


def test_bare_meter_object() -> None:
    assert reading_from_tasmota(GPLUGM_STATUS["StatusSNS"]["z"]) == reading_from_tasmota(
        GPLUGM_STATUS
    )


def test_power_has_no_float_tail() -> None:
    reading = reading_from_tasmota({"z": {"Pi": 0.443, "Po": 1.803}})
    assert reading.values[P1Quantity.POWER_IMPORT] == 443.0
    assert reading.values[P1Quantity.POWER_EXPORT] == 1803.0


def test_another_meter_name() -> None:
    """A script copied from the gPlug's under another meter name is read the same way."""
    reading = reading_from_tasmota({"Time": "2026-09-11T14:49:11", "P1": {"Pi": 1.2, "V1": 231}})
    assert reading.values == {P1Quantity.POWER_IMPORT: 1200.0, P1Quantity.VOLTAGE_L1: 231.0}


def test_voltages_named_u() -> None:
    reading = reading_from_tasmota({"z": {"U1": 231.4, "U2": 230.9, "U3": 229.8}})
    assert reading.values == {
        P1Quantity.VOLTAGE_L1: 231.4,
        P1Quantity.VOLTAGE_L2: 230.9,
        P1Quantity.VOLTAGE_L3: 229.8,
    }


def test_non_numeric_fields_are_ignored() -> None:
    reading = reading_from_tasmota(
        {"z": {"Pi": None, "Po": "0.5", "V1": True, "I1": float("nan"), "Ei1": 12.5}}
    )
    assert reading.values == {P1Quantity.ENERGY_IMPORT_T1: 12.5}


@pytest.mark.parametrize(
    ("time", "meter_time"),
    [
        # The format's example in arendst/Tasmota, tasmota/support_rtc.ino.
        ("2017-03-07T11:08:02-07:00", datetime(2017, 3, 7, 18, 8, 2, tzinfo=UTC)),
        ("2025-10-26T02:30:00+01:00", datetime(2025, 10, 26, 1, 30, tzinfo=UTC)),
        ("2025-10-26T02:30:00", None),
        ("not a time", None),
        (1_789_000_000, None),
    ],
)
def test_meter_time_only_with_an_offset(time: Any, meter_time: datetime | None) -> None:
    """`SetOption52 1` makes Tasmota append the offset; without it the zone is unknown."""
    reading = reading_from_tasmota({"Time": time, "z": {"Pi": 0.1}})
    assert reading.meter_time == meter_time


@pytest.mark.parametrize(
    ("value", "swapped", "tariff"),
    [
        (1, False, Tariff.LOW),
        (2, False, Tariff.NORMAL),
        ("0002", False, Tariff.NORMAL),
        (1, True, Tariff.NORMAL),
        (2, True, Tariff.LOW),
        (3, False, None),
        ("x", False, None),
    ],
)
def test_tariff_indicator(value: Any, swapped: bool, tariff: Tariff | None) -> None:
    reading = reading_from_tasmota({"z": {"tariff": value, "Pi": 0.2}}, swapped_tariffs=swapped)
    assert reading.tariff is tariff


@pytest.mark.parametrize("serial", ["", "0000", None, 0, True, {"a": 1}])
def test_no_serial(serial: Any) -> None:
    assert reading_from_tasmota({"z": {"SMid": serial, "Pi": 0.2}}).equipment_id is None


def test_numeric_serial() -> None:
    assert reading_from_tasmota({"z": {"SMid": 72913313, "Pi": 0.2}}).equipment_id == "72913313"


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({}, id="empty"),
        pytest.param({"Time": "2026-09-11T14:49:11"}, id="time only"),
        pytest.param({"z": {"SMid": "72913313", "Q5": "x"}}, id="serial only"),
        pytest.param({"StatusSNS": "busy"}, id="StatusSNS not an object"),
        pytest.param(
            {"StatusSNS": {"Time": "2026-09-11T14:49:11", "ESP32": {"Temperature": 42.7}}},
            id="chip temperature only",
        ),
        # A Tasmota smart plug's `Status 8` answer, shortened
        # (camueller/SmartApplianceEnabler, doc/Tasmota_DE.md).
        pytest.param(
            {
                "StatusSNS": {
                    "Time": "2019-09-06T20:06:19",
                    "ENERGY": {"Total": 0.003, "Power": 26, "Voltage": 239, "Current": 0.106},
                }
            },
            id="smart plug",
        ),
    ],
)
def test_no_meter_values(payload: dict[str, Any]) -> None:
    with pytest.raises(TasmotaPayloadError):
        reading_from_tasmota(payload)


def test_payload_error_is_a_value_error() -> None:
    assert issubclass(TasmotaPayloadError, ValueError)
