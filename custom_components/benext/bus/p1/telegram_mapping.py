"""Turn a telegram parsed by dsmr-parser into a P1Reading."""

from __future__ import annotations

import binascii
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .reading import WHOLE_QUANTITIES, MbusKind, MbusReading, P1Quantity, P1Reading, Tariff

# dsmr-parser's value names, and the quantity each one is.
QUANTITIES: dict[str, P1Quantity] = {
    "ELECTRICITY_IMPORTED_TOTAL": P1Quantity.ENERGY_IMPORT,
    "ELECTRICITY_USED_TARIFF_1": P1Quantity.ENERGY_IMPORT_T1,
    "ELECTRICITY_USED_TARIFF_2": P1Quantity.ENERGY_IMPORT_T2,
    "ELECTRICITY_USED_TARIFF_3": P1Quantity.ENERGY_IMPORT_T3,
    "ELECTRICITY_USED_TARIFF_4": P1Quantity.ENERGY_IMPORT_T4,
    "ELECTRICITY_EXPORTED_TOTAL": P1Quantity.ENERGY_EXPORT,
    "ELECTRICITY_DELIVERED_TARIFF_1": P1Quantity.ENERGY_EXPORT_T1,
    "ELECTRICITY_DELIVERED_TARIFF_2": P1Quantity.ENERGY_EXPORT_T2,
    "ELECTRICITY_DELIVERED_TARIFF_3": P1Quantity.ENERGY_EXPORT_T3,
    "ELECTRICITY_DELIVERED_TARIFF_4": P1Quantity.ENERGY_EXPORT_T4,
    "CURRENT_ELECTRICITY_USAGE": P1Quantity.POWER_IMPORT,
    "CURRENT_ELECTRICITY_DELIVERY": P1Quantity.POWER_EXPORT,
    "INSTANTANEOUS_ACTIVE_POWER_L1_POSITIVE": P1Quantity.POWER_IMPORT_L1,
    "INSTANTANEOUS_ACTIVE_POWER_L2_POSITIVE": P1Quantity.POWER_IMPORT_L2,
    "INSTANTANEOUS_ACTIVE_POWER_L3_POSITIVE": P1Quantity.POWER_IMPORT_L3,
    "INSTANTANEOUS_ACTIVE_POWER_L1_NEGATIVE": P1Quantity.POWER_EXPORT_L1,
    "INSTANTANEOUS_ACTIVE_POWER_L2_NEGATIVE": P1Quantity.POWER_EXPORT_L2,
    "INSTANTANEOUS_ACTIVE_POWER_L3_NEGATIVE": P1Quantity.POWER_EXPORT_L3,
    "INSTANTANEOUS_VOLTAGE_L1": P1Quantity.VOLTAGE_L1,
    "INSTANTANEOUS_VOLTAGE_L2": P1Quantity.VOLTAGE_L2,
    "INSTANTANEOUS_VOLTAGE_L3": P1Quantity.VOLTAGE_L3,
    "INSTANTANEOUS_CURRENT_L1": P1Quantity.CURRENT_L1,
    "INSTANTANEOUS_CURRENT_L2": P1Quantity.CURRENT_L2,
    "INSTANTANEOUS_CURRENT_L3": P1Quantity.CURRENT_L3,
    "SHORT_POWER_FAILURE_COUNT": P1Quantity.SHORT_POWER_FAILURES,
    "LONG_POWER_FAILURE_COUNT": P1Quantity.LONG_POWER_FAILURES,
    "VOLTAGE_SAG_L1_COUNT": P1Quantity.VOLTAGE_SAGS_L1,
    "VOLTAGE_SAG_L2_COUNT": P1Quantity.VOLTAGE_SAGS_L2,
    "VOLTAGE_SAG_L3_COUNT": P1Quantity.VOLTAGE_SAGS_L3,
    "VOLTAGE_SWELL_L1_COUNT": P1Quantity.VOLTAGE_SWELLS_L1,
    "VOLTAGE_SWELL_L2_COUNT": P1Quantity.VOLTAGE_SWELLS_L2,
    "VOLTAGE_SWELL_L3_COUNT": P1Quantity.VOLTAGE_SWELLS_L3,
    "BELGIUM_CURRENT_AVERAGE_DEMAND": P1Quantity.AVERAGE_DEMAND,
    "BELGIUM_MAXIMUM_DEMAND_MONTH": P1Quantity.MONTH_PEAK,
    "ACTUAL_SWITCH_POSITION": P1Quantity.BREAKER_STATE,
    "ACTUAL_TRESHOLD_ELECTRICITY": P1Quantity.LIMITER_THRESHOLD,
    "FUSE_THRESHOLD_L1": P1Quantity.FUSE_THRESHOLD_L1,
}

# Values only some meters send, in the units they may come in: in another unit (DSMR 3's
# limiter threshold in A) such a value is left out, and the telegram read without it.
OPTIONAL_UNITS: dict[P1Quantity, frozenset[str | None]] = {
    P1Quantity.BREAKER_STATE: frozenset({None}),
    P1Quantity.LIMITER_THRESHOLD: frozenset({"kW", "W"}),
    P1Quantity.FUSE_THRESHOLD_L1: frozenset({"A"}),
}

# The value names the mapping reads: a parser needs no other object of its specification.
NEEDED_NAMES = frozenset(
    {
        *QUANTITIES,
        "P1_MESSAGE_TIMESTAMP",
        "ELECTRICITY_ACTIVE_TARIFF",
        "EQUIPMENT_IDENTIFIER",
        "BELGIUM_EQUIPMENT_IDENTIFIER",
        "LUXEMBOURG_EQUIPMENT_IDENTIFIER",
        "Q3D_EQUIPMENT_IDENTIFIER",
        "EQUIPMENT_SERIAL_NUMBER",
        "Q3D_EQUIPMENT_SERIALNUMBER",
        "MBUS_DEVICE_TYPE",
        "MBUS_EQUIPMENT_IDENTIFIER",
        "MBUS_METER_READING",
        "MBUS_VALVE_POSITION",
        "VALVE_POSITION_GAS",
        "DEVICE_TYPE",
        "EQUIPMENT_IDENTIFIER_GAS",
        "GAS_METER_READING",
        "HOURLY_GAS_METER_READING",
    }
)

IDENTIFIER_NAMES = (
    "EQUIPMENT_IDENTIFIER",
    "BELGIUM_EQUIPMENT_IDENTIFIER",
    "LUXEMBOURG_EQUIPMENT_IDENTIFIER",
    "Q3D_EQUIPMENT_IDENTIFIER",
    "EQUIPMENT_SERIAL_NUMBER",
)
MBUS_READING_NAMES = ("MBUS_METER_READING", "HOURLY_GAS_METER_READING", "GAS_METER_READING")

# Factors to our units (kWh, W, V, A; m3 and GJ for M-Bus meters), by the telegram's unit.
UNIT_FACTORS: dict[str, float] = {
    "kWh": 1.0,
    "Wh": 0.001,
    "kW": 1000.0,
    "W": 1.0,
    "V": 1.0,
    "A": 1.0,
    "m3": 1.0,
    "GJ": 1.0,
    "MJ": 0.001,
    "kWh_heat": 0.0036,
}
# The unit a quantity has when the telegram gives none (power failure counters).
DEFAULT_UNITS = {"energy": "kWh", "power": "kW"}

# DSMR's M-Bus device types.
MBUS_KINDS: dict[int, MbusKind] = {
    3: MbusKind.GAS,
    4: MbusKind.HEAT,
    6: MbusKind.HOT_WATER,
    7: MbusKind.WATER,
    10: MbusKind.COOLING,
    11: MbusKind.COOLING,
    12: MbusKind.HEAT,
}
# An empty M-Bus slot reads 0 at the meter's epoch, 1 January 1970.
NO_READING_BEFORE = datetime(2000, 1, 1, tzinfo=UTC)


class UnknownUnitError(ValueError):
    """A value came with a unit we cannot convert: better no value than a wrong one."""


def reading_from_telegram(
    telegram: Any, *, swapped_tariffs: bool = False, header: str | None = None
) -> P1Reading:
    """The reading of a parsed telegram (a dsmr_parser `Telegram`)."""
    values: dict[P1Quantity, float] = {}
    for name, quantity in QUANTITIES.items():
        dsmr_object = getattr(telegram, name, None)
        if dsmr_object is None or dsmr_object.value is None:
            continue
        value = dsmr_object.value
        if quantity in OPTIONAL_UNITS and (value := _optional_value(quantity, dsmr_object)) is None:
            continue
        values[quantity] = _in_our_unit(value, dsmr_object.unit, quantity)
    timestamp = getattr(telegram, "P1_MESSAGE_TIMESTAMP", None)
    month_peak = getattr(telegram, "BELGIUM_MAXIMUM_DEMAND_MONTH", None)
    return P1Reading(
        values=values,
        tariff=_tariff(getattr(telegram, "ELECTRICITY_ACTIVE_TARIFF", None), swapped_tariffs),
        meter_time=timestamp.value if timestamp is not None else None,
        month_peak_at=getattr(month_peak, "datetime", None) if month_peak is not None else None,
        equipment_id=_equipment_id(telegram),
        serial_number=_serial_number(telegram),
        header=header,
        mbus=tuple(_mbus_readings(telegram)),
    )


def _optional_value(quantity: P1Quantity, dsmr_object: Any) -> int | Decimal | None:
    """A value only some meters send, or None when it is not in a unit it may have."""
    value = dsmr_object.value
    # Some variants give the breaker's state as text ("1").
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if dsmr_object.unit not in OPTIONAL_UNITS[quantity] or not isinstance(value, int | Decimal):
        return None
    return value


def decode_identifier(raw: str) -> str:
    """An equipment identifier as text: DSMR sends it as the hex of its ASCII characters."""
    try:
        text = binascii.unhexlify(raw).decode("ascii")
    except binascii.Error, ValueError:
        return raw
    return text if text.isprintable() and text.strip() else raw


def _in_our_unit(value: Decimal | int, unit: str | None, quantity: P1Quantity) -> float:
    if unit is None:
        unit = DEFAULT_UNITS.get(quantity.split("_", 1)[0])
    if unit is None:
        # A count is shown as one (13 power failures, not 13.0).
        return int(value) if quantity in WHOLE_QUANTITIES else float(value)
    factor = UNIT_FACTORS.get(unit)
    if factor is None:
        raise UnknownUnitError(f"{quantity} in {unit}")
    # Rounded to the telegram's own precision, without the float's tail of the product.
    return round(float(value) * factor, 7)


def _tariff(dsmr_object: Any, swapped: bool) -> Tariff | None:
    if dsmr_object is None or dsmr_object.value is None:
        return None
    try:
        number = int(dsmr_object.value)
    except TypeError, ValueError:
        return None
    if number not in (1, 2):
        return None
    low = 2 if swapped else 1
    return Tariff.LOW if number == low else Tariff.NORMAL


def _equipment_id(telegram: Any) -> str | None:
    for name in IDENTIFIER_NAMES:
        dsmr_object = getattr(telegram, name, None)
        if dsmr_object is not None and str(dsmr_object.value or "").strip("0"):
            return decode_identifier(str(dsmr_object.value))
    return None


def _serial_number(telegram: Any) -> str | None:
    dsmr_object = getattr(telegram, "Q3D_EQUIPMENT_SERIALNUMBER", None)
    value = str(dsmr_object.value or "").strip() if dsmr_object is not None else ""
    return value or None


def _mbus_readings(telegram: Any) -> list[MbusReading]:
    readings: list[MbusReading] = []
    for device in getattr(telegram, "MBUS_DEVICES", ()):
        reading = next(
            (getattr(device, name) for name in MBUS_READING_NAMES if hasattr(device, name)), None
        )
        if reading is None or reading.value is None or reading.unit is None:
            continue
        read_at = reading.datetime
        if read_at is None or read_at < NO_READING_BEFORE:
            continue
        kind = _mbus_kind(device)
        if kind is None:
            continue
        identifier = getattr(device, "MBUS_EQUIPMENT_IDENTIFIER", None) or getattr(
            device, "EQUIPMENT_IDENTIFIER_GAS", None
        )
        equipment_id = (
            decode_identifier(str(identifier.value))
            if identifier is not None and identifier.value and identifier.value.strip("0")
            else None
        )
        unit = reading.unit
        if kind in (MbusKind.HEAT, MbusKind.COOLING) and unit == "kWh":
            unit = "kWh_heat"

        factor = UNIT_FACTORS.get(unit)
        if factor is None:
            continue
        readings.append(
            MbusReading(
                channel=device.channel_id,
                kind=kind,
                equipment_id=equipment_id,
                value=round(float(reading.value) * factor, 7),
                read_at=read_at,
                valve=_valve_position(device),
            )
        )
    return readings


def _valve_position(device: Any) -> int | None:
    # DSMR 2.2 and 3 name it for the gas meter, DSMR 4 and later for any M-Bus device.
    valve = getattr(device, "MBUS_VALVE_POSITION", None) or getattr(
        device, "VALVE_POSITION_GAS", None
    )
    value = str(valve.value).strip() if valve is not None and valve.value is not None else ""
    return int(value) if value.isdigit() else None


def _mbus_kind(device: Any) -> MbusKind | None:
    device_type = getattr(device, "MBUS_DEVICE_TYPE", None) or getattr(device, "DEVICE_TYPE", None)
    if device_type is not None and device_type.value is not None:
        try:
            return MBUS_KINDS.get(int(device_type.value))
        except TypeError, ValueError:
            return None
    if hasattr(device, "GAS_METER_READING") or hasattr(device, "HOURLY_GAS_METER_READING"):
        return MbusKind.GAS
    return None
