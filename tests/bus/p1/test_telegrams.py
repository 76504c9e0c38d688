"""Every fixture telegram through detection and the decoder, against its expected values.

The telegrams and `expected.json` are copied from ../shared/fixtures/dsmr_telegrams/
(real telegrams from dsmr_parser's test data; see tests/fixtures/README.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from custom_components.benext.bus.p1.decoder import Rejection, TelegramDecoder
from custom_components.benext.bus.p1.detection import detect
from custom_components.benext.bus.p1.reading import EVENT_COUNTS, MbusKind, P1Quantity, Tariff
from custom_components.benext.bus.p1.versions import DsmrVersion
from tests.p1_fixtures import GOOD, QUANTITIES, expected_value, raw, version_of

MBUS_READINGS = ("MBUS_METER_READING", "HOURLY_GAS_METER_READING", "GAS_METER_READING")


@pytest.mark.parametrize("fixture", GOOD, ids=[f["file"] for f in GOOD])
def test_detects_the_variant(fixture: dict[str, Any]) -> None:
    """The first telegram tells the variant, as Home Assistant's dsmr names it."""
    meter = detect(raw(fixture["file"]))
    assert meter is not None
    assert meter.version is version_of(fixture)


@pytest.mark.parametrize("fixture", GOOD, ids=[f["file"] for f in GOOD])
def test_decodes_the_expected_values(fixture: dict[str, Any]) -> None:
    """Every value expected.json lists comes out of the decoder in our units."""
    (decoded,) = TelegramDecoder(version_of(fixture)).feed(raw(fixture["file"]))
    reading = decoded.reading
    assert reading is not None, decoded
    expected = fixture["expected"]
    for name, quantity in QUANTITIES.items():
        if name in expected:
            assert reading.values[quantity] == pytest.approx(expected_value(name, expected[name]))
    if "P1_MESSAGE_TIMESTAMP" in expected:
        assert reading.meter_time == datetime.fromisoformat(
            expected["P1_MESSAGE_TIMESTAMP"]["value"]
        )
    channels = [
        (d["channel"], next(d[name] for name in MBUS_READINGS if name in d))
        for d in expected.get("MBUS_DEVICES", [])
        if any(name in d for name in MBUS_READINGS)
    ]
    assert [(m.channel, m.value, m.read_at) for m in reading.mbus] == [
        (
            channel,
            pytest.approx(float(meter_reading["value"])),
            datetime.fromisoformat(meter_reading["timestamp_utc"]),
        )
        for channel, meter_reading in channels
        # An empty slot reads 0 at 1970-01-01: no reading at all.
        if not meter_reading["timestamp_utc"].startswith("1970")
    ]


def test_belgian_tariff_order() -> None:
    """In Belgium tariff 1 is the normal (day) tariff; in the Netherlands it is the low one."""
    (belgian,) = TelegramDecoder(DsmrVersion.BELGIUM).feed(raw("fluvius_v171_be_gas_water.txt"))
    (dutch,) = TelegramDecoder(DsmrVersion.V5).feed(raw("dsmr5_nl_iskra_am550_two_mbus_gas.txt"))
    assert belgian.reading is not None
    assert dutch.reading is not None
    assert belgian.reading.tariff is Tariff.NORMAL  # 0001 in Belgium
    assert dutch.reading.tariff is Tariff.LOW  # 0001 in the Netherlands
    assert belgian.reading.values[P1Quantity.MONTH_PEAK] == 2589.0
    assert [m.kind for m in belgian.reading.mbus] == [MbusKind.GAS, MbusKind.WATER]


def test_meter_identity() -> None:
    """Maker, model and serial number come from the identification line and 0-0:96.1.1."""
    meter = detect(raw("dsmr5_nl_iskra_am550_two_mbus_gas.txt"))
    assert meter is not None
    assert (meter.manufacturer, meter.model, meter.serial) == (
        "Iskraemeco",
        "M550T-1012",
        "E0044007382246019",
    )


def test_bad_crc_is_rejected_and_never_detected() -> None:
    """A telegram whose CRC does not match is thrown away, and tells nothing."""
    data = raw("dsmr5_nl_bad_crc.txt")
    assert detect(data) is None
    (decoded,) = TelegramDecoder(DsmrVersion.V5).feed(data)
    assert decoded.reading is None
    assert decoded.rejection is Rejection.CHECKSUM


def test_chunked_stream_with_garbage_and_a_truncated_telegram() -> None:
    """Byte by byte, after garbage and a telegram cut short, the good telegram still decodes."""
    good = raw("dsmr5_nl_iskra_gas.txt")
    stream = b"\x00\xff garbage" + good[:300] + good + b"\r\n"
    decoder = TelegramDecoder(DsmrVersion.V5)
    decoded = [result for i in range(len(stream)) for result in decoder.feed(stream[i : i + 1])]
    # The truncated start is dropped when the next telegram begins; only the whole one counts.
    readings = [d.reading for d in decoded if d.reading is not None]
    assert len(readings) == 1
    assert readings[0].values[P1Quantity.ENERGY_IMPORT_T1] == 4.426


def test_interleaved_telegrams_fail_their_crc() -> None:
    """Two telegrams mixed line by line (two readers on one port) are rejected."""
    lines = raw("dsmr5_nl_iskra_gas.txt").split(b"\r\n")
    other = raw("dsmr5_nl_iskra_am550_two_mbus_gas.txt").split(b"\r\n")
    mixed = b"\r\n".join(lines[:10] + other[12:])
    decoded = TelegramDecoder(DsmrVersion.V5).feed(mixed)
    assert [d.rejection for d in decoded] == [Rejection.CHECKSUM]


def test_invalid_timestamp_is_rejected() -> None:
    """A telegram (without CRC) whose clock line is garbled is not believed."""
    telegram = raw("iskra_ie5_nocrc.txt").replace(b"230202132747S", b"231302132747S")
    (decoded,) = TelegramDecoder(DsmrVersion.ISKRA_IE).feed(telegram)
    assert decoded.reading is None
    assert decoded.rejection is Rejection.TIMESTAMP


def test_wrong_key_for_an_encrypted_meter() -> None:
    """Frames that do not decrypt with the key are rejected, never read as garbage."""
    frame = bytes([0xDB, 8]) + b"SAG12345" + bytes([0x82, 0x00, 0x20, 0x30]) + bytes(31)
    meter = detect(frame)
    assert meter is not None
    assert meter.encrypted
    assert meter.version is None
    decoder = TelegramDecoder(DsmrVersion.SAGEMCOM_T210_D_R, "00112233445566778899AABBCCDDEEFF")
    (decoded,) = decoder.feed(frame)
    assert decoded.reading is None
    assert decoded.rejection in (Rejection.DECRYPTION, Rejection.PARSE)


def test_event_counts_are_whole_numbers() -> None:
    """Power failures, sags and swells are counts: 13, never 13.0."""
    (decoded,) = TelegramDecoder(DsmrVersion.V5).feed(raw("dsmr5_nl_iskra_gas.txt"))
    assert decoded.reading is not None
    values = decoded.reading.values
    assert values[P1Quantity.SHORT_POWER_FAILURES] == 13
    counts = [values[q] for q in EVENT_COUNTS]
    assert len(counts) == 8
    assert all(type(count) is int for count in counts)
    assert type(values[P1Quantity.POWER_IMPORT]) is float


def test_easymeter_serial_and_model_without_firmware() -> None:
    """An EasyMeter's printed serial (0-0:96.1.255) is its serial; `V3.04` is no model."""
    meter = detect(raw("easymeter_q3d_a1004_nocrc.txt"))
    assert meter is not None
    assert (meter.manufacturer, meter.model, meter.serial) == (
        "EasyMeter",
        "Q3DA1004",
        "1ESY1336001560",
    )
    # The reading's identity (what totals are kept per) stays the equipment identifier.
    assert meter.reading is not None
    assert meter.reading.equipment_id == "1336001560"


def test_iskra_ie_model_without_control_character() -> None:
    """An Iskra IE sends 0x02 where others send `\\2`: the model is printable text."""
    meter = detect(raw("iskra_ie5_nocrc.txt"))
    assert meter is not None
    assert (meter.manufacturer, meter.model) == ("Iskraemeco", "MIE5T-200")


def test_dsmr_2_2_gas_valve() -> None:
    """DSMR 2.2 and 3 send the gas valve's position as their own field (0-1:24.4.0)."""
    (decoded,) = TelegramDecoder(DsmrVersion.V2_2).feed(raw("dsmr22_nl_iskra_gas_nocrc.txt"))
    assert decoded.reading is not None
    assert [(m.kind, m.valve) for m in decoded.reading.mbus] == [(MbusKind.GAS, 1)]


def test_belgian_breaker_limiter_fuse_and_peak_time() -> None:
    """A Fluvius meter's breaker, limiter and fuse supervision, and when the month peaked."""
    (decoded,) = TelegramDecoder(DsmrVersion.BELGIUM).feed(raw("fluvius_v171_be_gas_water.txt"))
    reading = decoded.reading
    assert reading is not None
    assert reading.values[P1Quantity.BREAKER_STATE] == 1
    assert type(reading.values[P1Quantity.BREAKER_STATE]) is int
    assert reading.values[P1Quantity.LIMITER_THRESHOLD] == 999_900.0  # 999.9 kW: no limit
    assert reading.values[P1Quantity.FUSE_THRESHOLD_L1] == 999.0
    assert reading.month_peak_at == datetime.fromisoformat("2020-05-09T11:45:58+00:00")
    # The gas meter's valve is open; the water meter sends no valve.
    assert [(m.kind, m.valve) for m in reading.mbus] == [
        (MbusKind.GAS, 1),
        (MbusKind.WATER, None),
    ]


def test_a_limiter_threshold_in_amperes_is_left_out() -> None:
    """DSMR 3 gives the limiter in A: no power value, but the telegram is read."""
    (decoded,) = TelegramDecoder(DsmrVersion.V2_2).feed(raw("dsmr3_nl_iskra_gas_nocrc.txt"))
    assert decoded.reading is not None
    assert P1Quantity.LIMITER_THRESHOLD not in decoded.reading.values
    assert decoded.reading.values[P1Quantity.BREAKER_STATE] == 1
    assert decoded.reading.month_peak_at is None
