"""Turn the JSON of a Tasmota-based P1 reader (gPlug and its kin) into a P1Reading.

A gPlug runs Tasmota with a Smart Meter Interface script: each descriptor line turns
one OBIS value of the meter into a JSON field, under the script's meter name, "z".
It publishes `{"Time": ..., "z": {...}}` on `tele/<topic>/SENSOR` and answers
`GET /cm?cmnd=Status%2010` with `{"StatusSNS": {"Time": ..., "z": {...}}}`.

The fields, their OBIS codes and units, as the gPlug's own script declares them
(ebsEnergieAG/SmartMeterSchnittstelle, `gPlugD (neue Version)/Scripts/TasmotaScript_org`):

    SMid          0-0:96.1.1              meter serial (DSMR: hex of its ASCII)
    Pi, Po        1-0:1.7.0, 2.7.0        kW   power import, export
    P1i..P3i      1-0:21/41/61.7.0        W    power import per phase
    P1o..P3o      1-0:22/42/62.7.0        W    power export per phase
    V1..V3        1-0:32/52/72.7.0        V    voltage per phase
    I1..I3        1-0:31/51/71.7.0        A    current per phase
    Ei1, Ei2      1-0:1.8.1, 1.8.2        kWh  import, tariff 1 and 2
    Eo1, Eo2      1-0:2.8.1, 2.8.2        kWh  export, tariff 1 and 2

Further fields seen in captured payloads: `Ei` and `Eo` (1.8.0 and 2.8.0 totals, kWh)
and `Q5`..`Q8` (reactive energy, not read here) from a gPlugM on a Landis+Gyr E450
(saliWd/strommesser, `pico2w/function_def.py`); the kW/W split of `Po` against
`P1o`..`P3o` is confirmed by a capture in gplug-ch/gplug-ems,
`ems/backend/tests/test_integrations.be` (Po 14.421 with P1o+P2o+P3o = 14418).
Some utility scripts name the voltages `U1`..`U3` (ebsEnergieAG/SmartMeterSchnittstelle,
`gPlugD (neue Version)/Scripts/TasmotaScript_ebs`). A script that reads the tariff
indicator 0-0:96.14.0 names it `tariff` (tasmota/docs, `docs/Smart-Meter-Interface.md`).

Tasmota writes "Time" in local time without an offset unless `SetOption52 1` appends one
(arendst/Tasmota, `tasmota/support_rtc.ino`, GetDateAndTime); only a time with an offset
becomes the reading's meter time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
import json
import math
from typing import Any, ClassVar

from .reading import P1Quantity, P1Reading, Tariff
from .telegram_mapping import decode_identifier

# The field names, the quantity each one is, and the factor to our unit.
FIELDS: dict[str, tuple[P1Quantity, float]] = {
    "Pi": (P1Quantity.POWER_IMPORT, 1000.0),
    "Po": (P1Quantity.POWER_EXPORT, 1000.0),
    "P1i": (P1Quantity.POWER_IMPORT_L1, 1.0),
    "P2i": (P1Quantity.POWER_IMPORT_L2, 1.0),
    "P3i": (P1Quantity.POWER_IMPORT_L3, 1.0),
    "P1o": (P1Quantity.POWER_EXPORT_L1, 1.0),
    "P2o": (P1Quantity.POWER_EXPORT_L2, 1.0),
    "P3o": (P1Quantity.POWER_EXPORT_L3, 1.0),
    "V1": (P1Quantity.VOLTAGE_L1, 1.0),
    "V2": (P1Quantity.VOLTAGE_L2, 1.0),
    "V3": (P1Quantity.VOLTAGE_L3, 1.0),
    "U1": (P1Quantity.VOLTAGE_L1, 1.0),
    "U2": (P1Quantity.VOLTAGE_L2, 1.0),
    "U3": (P1Quantity.VOLTAGE_L3, 1.0),
    "I1": (P1Quantity.CURRENT_L1, 1.0),
    "I2": (P1Quantity.CURRENT_L2, 1.0),
    "I3": (P1Quantity.CURRENT_L3, 1.0),
    "Ei": (P1Quantity.ENERGY_IMPORT, 1.0),
    "Ei1": (P1Quantity.ENERGY_IMPORT_T1, 1.0),
    "Ei2": (P1Quantity.ENERGY_IMPORT_T2, 1.0),
    "Eo": (P1Quantity.ENERGY_EXPORT, 1.0),
    "Eo1": (P1Quantity.ENERGY_EXPORT_T1, 1.0),
    "Eo2": (P1Quantity.ENERGY_EXPORT_T2, 1.0),
}
METER_ID_FIELD = "SMid"
TARIFF_FIELDS = ("tariff", "Tariff")
# The meter name of the gPlug's scripts; another script's name is found by its fields.
GPLUG_METER = "z"


class TasmotaRejection(StrEnum):
    """Why a reader's message or answer gave no reading; the values are counter names."""

    INVALID_JSON = "invalid_json"
    NO_METER_VALUES = "no_meter_values"
    HTTP_STATUS = "http_status"
    TIMEOUT = "timeout"


class TasmotaPayloadError(ValueError):
    """The JSON carries no value of a smart meter."""

    rejection: ClassVar[TasmotaRejection] = TasmotaRejection.NO_METER_VALUES


class TasmotaJsonError(TasmotaPayloadError):
    """The payload is not a JSON object."""

    rejection: ClassVar[TasmotaRejection] = TasmotaRejection.INVALID_JSON


def device_topic(text: str) -> str:
    """The device's topic in what a user typed: `gPlug`, or the whole `tele/gPlug/SENSOR`."""
    topic = text.strip().strip("/")
    topic = topic.removeprefix("tele/").removesuffix("/SENSOR")
    return topic.strip("/")


def sensor_topic(topic: str) -> str:
    """Where Tasmota publishes the sensors of the device with this topic."""
    return f"tele/{topic}/SENSOR"


def reading_from_tasmota_json(
    raw: str | bytes | bytearray, *, swapped_tariffs: bool = False
) -> P1Reading:
    """The reading in a raw MQTT message or HTTP answer.

    Raises TasmotaJsonError when it is not a JSON object, TasmotaPayloadError when it
    holds no meter value.
    """
    try:
        payload = json.loads(raw)
    except ValueError as err:  # also UnicodeDecodeError: bytes that are not UTF-8
        raise TasmotaJsonError(f"not JSON: {err}") from err
    if not isinstance(payload, Mapping):
        raise TasmotaJsonError(f"not a JSON object: {type(payload).__name__}")
    return reading_from_tasmota(payload, swapped_tariffs=swapped_tariffs)


def reading_from_tasmota(payload: Mapping[str, Any], *, swapped_tariffs: bool = False) -> P1Reading:
    """The reading in a SENSOR message, a `Status 10` answer, or the bare meter object.

    `swapped_tariffs` gives tariff indicator 2 the low tariff (Belgium), as for telegrams.
    Raises TasmotaPayloadError when the payload holds no meter value.
    """
    sensors = payload.get("StatusSNS", payload)
    if not isinstance(sensors, Mapping):
        raise TasmotaPayloadError("StatusSNS is not an object")
    meter = _meter_object(sensors)
    if meter is None:
        raise TasmotaPayloadError(f"no smart meter values among {sorted(sensors)}")
    values: dict[P1Quantity, float] = {}
    for name, (quantity, factor) in FIELDS.items():
        if (number := _number(meter.get(name))) is not None:
            # Rounded to the reader's precision, without the float's tail of the product.
            values.setdefault(quantity, round(number * factor, 7))
    return P1Reading(
        values=values,
        tariff=_tariff(meter, swapped_tariffs),
        meter_time=_meter_time(sensors.get("Time")),
        equipment_id=_equipment_id(meter.get(METER_ID_FIELD)),
    )


def _meter_object(sensors: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The object that holds the meter's fields: "z", another meter name, or the payload."""
    candidates = [sensors.get(GPLUG_METER), sensors]
    candidates += [value for key, value in sensors.items() if key != GPLUG_METER]
    for candidate in candidates:
        if isinstance(candidate, Mapping) and any(
            _number(candidate.get(name)) is not None for name in FIELDS
        ):
            return candidate
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _tariff(meter: Mapping[str, Any], swapped: bool) -> Tariff | None:
    for name in TARIFF_FIELDS:
        value = meter.get(name)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        number = _number(value)
        if number in (1, 2):
            low = 2 if swapped else 1
            return Tariff.LOW if number == low else Tariff.NORMAL
    return None


def _meter_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC)


def _equipment_id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    if not text.strip("0"):
        return None
    return decode_identifier(text)
