"""The sensors of a smart meter and of the M-Bus meters it relays, by quantity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfVolume,
)

from ..bus.p1.reading import MbusKind, P1Quantity, Tariff
from ..meter_sensor import MeterSensorDescription
from .coordinator import MONTH_PEAK_AT_KEY, TARIFF_KEY, mbus_key, mbus_time_key, mbus_valve_key
from .settings import MbusMeterSettings, P1MeterSettings


@dataclass(frozen=True, kw_only=True)
class P1SensorDescription(MeterSensorDescription):
    """A sensor that shows the value a telegram carries under `key`."""

    # The M-Bus channel whose device the sensor belongs to; None for the smart meter.
    channel: int | None = None
    # A count of events: shown as a whole number.
    whole: bool = False


def _energy(quantity: P1Quantity, enabled: bool = True) -> P1SensorDescription:
    return P1SensorDescription(
        key=quantity.value,
        translation_key=quantity.value,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        entity_registry_enabled_default=enabled,
    )


def _power(quantity: P1Quantity, enabled: bool = True) -> P1SensorDescription:
    return P1SensorDescription(
        key=quantity.value,
        translation_key=quantity.value,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        entity_registry_enabled_default=enabled,
    )


def _phase(quantity: P1Quantity, device_class: SensorDeviceClass, unit: str) -> P1SensorDescription:
    return P1SensorDescription(
        key=quantity.value,
        translation_key=quantity.value,
        device_class=device_class,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=unit,
        entity_registry_enabled_default=False,
    )


def _counter(quantity: P1Quantity, enabled: bool) -> P1SensorDescription:
    return P1SensorDescription(
        key=quantity.value,
        translation_key=quantity.value,
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=enabled,
        whole=True,
    )


# The breaker's state codes (0-0:96.3.10), as the sensor's states.
BREAKER_STATES = {0: "disconnected", 1: "connected", 2: "ready_for_reconnection"}


# A gas valve's position codes (0-n:24.4.0), as the sensor's states.
VALVE_POSITIONS = {0: "closed", 1: "open", 2: "ready_for_opening"}


def _breaker_state(values: Mapping[str, Any]) -> str | None:
    code = values.get(P1Quantity.BREAKER_STATE.value)
    return BREAKER_STATES.get(code) if isinstance(code, int) else None


def _month_peak_attributes(values: Mapping[str, Any]) -> Mapping[str, Any] | None:
    peak_at = values.get(MONTH_PEAK_AT_KEY)
    return {"peak_at": peak_at} if peak_at is not None else None


Q = P1Quantity
QUANTITY_SENSORS: dict[P1Quantity, P1SensorDescription] = {
    **{q: _energy(q) for q in (Q.ENERGY_IMPORT, Q.ENERGY_EXPORT)},
    **{
        q: _energy(q)
        for q in (
            Q.ENERGY_IMPORT_T1,
            Q.ENERGY_IMPORT_T2,
            Q.ENERGY_IMPORT_T3,
            Q.ENERGY_IMPORT_T4,
            Q.ENERGY_EXPORT_T1,
            Q.ENERGY_EXPORT_T2,
            Q.ENERGY_EXPORT_T3,
            Q.ENERGY_EXPORT_T4,
        )
    },
    Q.POWER_IMPORT: _power(Q.POWER_IMPORT),
    Q.POWER_EXPORT: _power(Q.POWER_EXPORT),
    **{
        q: _power(q, enabled=False)
        for q in (
            Q.POWER_IMPORT_L1,
            Q.POWER_IMPORT_L2,
            Q.POWER_IMPORT_L3,
            Q.POWER_EXPORT_L1,
            Q.POWER_EXPORT_L2,
            Q.POWER_EXPORT_L3,
        )
    },
    **{
        q: _phase(q, SensorDeviceClass.VOLTAGE, UnitOfElectricPotential.VOLT)
        for q in (Q.VOLTAGE_L1, Q.VOLTAGE_L2, Q.VOLTAGE_L3)
    },
    **{
        q: _phase(q, SensorDeviceClass.CURRENT, UnitOfElectricCurrent.AMPERE)
        for q in (Q.CURRENT_L1, Q.CURRENT_L2, Q.CURRENT_L3)
    },
    Q.SHORT_POWER_FAILURES: _counter(Q.SHORT_POWER_FAILURES, enabled=True),
    Q.LONG_POWER_FAILURES: _counter(Q.LONG_POWER_FAILURES, enabled=True),
    **{
        q: _counter(q, enabled=False)
        for q in (
            Q.VOLTAGE_SAGS_L1,
            Q.VOLTAGE_SAGS_L2,
            Q.VOLTAGE_SAGS_L3,
            Q.VOLTAGE_SWELLS_L1,
            Q.VOLTAGE_SWELLS_L2,
            Q.VOLTAGE_SWELLS_L3,
        )
    },
    Q.AVERAGE_DEMAND: _power(Q.AVERAGE_DEMAND),
    Q.MONTH_PEAK: replace(_power(Q.MONTH_PEAK), attributes_fn=_month_peak_attributes),
    Q.BREAKER_STATE: P1SensorDescription(
        key=Q.BREAKER_STATE.value,
        translation_key=Q.BREAKER_STATE.value,
        device_class=SensorDeviceClass.ENUM,
        options=list(BREAKER_STATES.values()),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_breaker_state,
    ),
    Q.LIMITER_THRESHOLD: P1SensorDescription(
        key=Q.LIMITER_THRESHOLD.value,
        translation_key=Q.LIMITER_THRESHOLD.value,
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    Q.FUSE_THRESHOLD_L1: P1SensorDescription(
        key=Q.FUSE_THRESHOLD_L1.value,
        translation_key=Q.FUSE_THRESHOLD_L1.value,
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
}

TARIFF_SENSOR = P1SensorDescription(
    key=TARIFF_KEY,
    translation_key=TARIFF_KEY,
    device_class=SensorDeviceClass.ENUM,
    options=[tariff.value for tariff in Tariff],
)

REJECTED_TELEGRAMS = SensorEntityDescription(
    key="rejected_telegrams",
    translation_key="rejected_telegrams",
    native_unit_of_measurement=PERCENTAGE,
    state_class=SensorStateClass.MEASUREMENT,
    entity_category=EntityCategory.DIAGNOSTIC,
    suggested_display_precision=1,
)

# The device class and unit of an M-Bus meter's reading, by its kind.
MBUS_UNITS: dict[MbusKind, tuple[SensorDeviceClass, str]] = {
    MbusKind.GAS: (SensorDeviceClass.GAS, UnitOfVolume.CUBIC_METERS),
    MbusKind.WATER: (SensorDeviceClass.WATER, UnitOfVolume.CUBIC_METERS),
    MbusKind.HOT_WATER: (SensorDeviceClass.WATER, UnitOfVolume.CUBIC_METERS),
    MbusKind.HEAT: (SensorDeviceClass.ENERGY, UnitOfEnergy.GIGA_JOULE),
    MbusKind.COOLING: (SensorDeviceClass.ENERGY, UnitOfEnergy.GIGA_JOULE),
}


def mbus_descriptions(meter: MbusMeterSettings) -> list[P1SensorDescription]:
    """An M-Bus meter's reading, and the meter's own time of that reading."""
    device_class, unit = MBUS_UNITS[meter.kind]
    return [
        P1SensorDescription(
            key=mbus_key(meter.channel),
            translation_key=f"mbus_{meter.kind.value}",
            device_class=device_class,
            state_class=SensorStateClass.TOTAL_INCREASING,
            native_unit_of_measurement=unit,
            suggested_display_precision=3,
            channel=meter.channel,
        ),
        P1SensorDescription(
            key=mbus_time_key(meter.channel),
            translation_key="mbus_read_at",
            device_class=SensorDeviceClass.TIMESTAMP,
            entity_category=EntityCategory.DIAGNOSTIC,
            channel=meter.channel,
        ),
    ]


def mbus_valve_description(meter: MbusMeterSettings) -> P1SensorDescription:
    """The position of an M-Bus meter's valve."""
    key = mbus_valve_key(meter.channel)

    def position(values: Mapping[str, Any]) -> str | None:
        code = values.get(key)
        return VALVE_POSITIONS.get(code) if isinstance(code, int) else None

    return P1SensorDescription(
        key=key,
        translation_key="mbus_valve",
        device_class=SensorDeviceClass.ENUM,
        options=list(VALVE_POSITIONS.values()),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=position,
        channel=meter.channel,
    )


def p1_sensor_descriptions(settings: P1MeterSettings) -> list[P1SensorDescription]:
    """The sensors for what the meter's telegrams carry, and nothing else."""
    descriptions = [QUANTITY_SENSORS[q] for q in P1Quantity if q in settings.quantities]
    if settings.has_tariff:
        descriptions.append(TARIFF_SENSOR)
    for meter in settings.mbus:
        descriptions += mbus_descriptions(meter)
        if meter.valve:
            descriptions.append(mbus_valve_description(meter))
    return descriptions
