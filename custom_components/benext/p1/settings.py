"""A smart meter subentry's settings: its variant, its key, and what its telegrams carry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry

from ..bus.p1.detection import P1Detection
from ..bus.p1.reading import MbusKind, P1Quantity, P1Reading
from ..bus.p1.versions import DsmrVersion
from ..const import (
    CONF_CHANNEL,
    CONF_DSMR_VERSION,
    CONF_KEY,
    CONF_KIND,
    CONF_MANUFACTURER,
    CONF_MBUS_METERS,
    CONF_MODEL,
    CONF_P1_POWER_INTERVAL,
    CONF_P1_TOTAL_INTERVAL,
    CONF_QUANTITIES,
    CONF_ROLE,
    CONF_SERIAL,
    CONF_TARIFF,
    CONF_VALVE,
    DEFAULT_P1_POWER_INTERVAL,
    DEFAULT_P1_TOTAL_INTERVAL,
)
from ..domain.roles import Role


@dataclass(frozen=True, slots=True)
class MbusMeterSettings:
    """An M-Bus meter that the smart meter relays: its channel, kind and serial number."""

    channel: int
    kind: MbusKind
    serial: str | None
    # Its telegrams carry the valve's position.
    valve: bool = False


@dataclass(frozen=True, slots=True)
class P1MeterSettings:
    """What the integration knows of the smart meter, as read when it was added."""

    version: DsmrVersion | None
    key: str | None
    serial: str | None
    manufacturer: str | None
    model: str | None
    quantities: frozenset[P1Quantity]
    has_tariff: bool
    mbus: tuple[MbusMeterSettings, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> P1MeterSettings:
        """Read a subentry's data."""
        version = data.get(CONF_DSMR_VERSION)
        return cls(
            version=DsmrVersion(version) if version else None,
            key=data.get(CONF_KEY) or None,
            serial=data.get(CONF_SERIAL),
            manufacturer=data.get(CONF_MANUFACTURER),
            model=data.get(CONF_MODEL),
            quantities=frozenset(
                P1Quantity(q) for q in data.get(CONF_QUANTITIES, []) if q in P1Quantity
            ),
            has_tariff=bool(data.get(CONF_TARIFF)),
            mbus=tuple(
                MbusMeterSettings(
                    channel=int(meter[CONF_CHANNEL]),
                    kind=MbusKind(meter[CONF_KIND]),
                    serial=meter.get(CONF_SERIAL),
                    valve=bool(meter.get(CONF_VALVE)),
                )
                for meter in data.get(CONF_MBUS_METERS, [])
            ),
        )

    @classmethod
    def from_subentry(cls, subentry: ConfigSubentry) -> P1MeterSettings:
        """Read a smart meter subentry."""
        return cls.from_data(subentry.data)

    def as_data(self) -> dict[str, Any]:
        """The subentry's data."""
        data: dict[str, Any] = {
            CONF_ROLE: Role.GRID.value,
            CONF_DSMR_VERSION: self.version.value if self.version else None,
            CONF_SERIAL: self.serial,
            CONF_MANUFACTURER: self.manufacturer,
            CONF_MODEL: self.model,
            CONF_QUANTITIES: sorted(q.value for q in self.quantities),
            CONF_TARIFF: self.has_tariff,
            CONF_MBUS_METERS: [
                {
                    CONF_CHANNEL: m.channel,
                    CONF_KIND: m.kind.value,
                    CONF_SERIAL: m.serial,
                    **({CONF_VALVE: True} if m.valve else {}),
                }
                for m in self.mbus
            ],
        }
        if self.key:
            data[CONF_KEY] = self.key
        return data

    def with_reading(self, reading: P1Reading) -> P1MeterSettings:
        """These settings, widened by what a later telegram carries (a new M-Bus meter)."""
        known = {m.channel for m in self.mbus}
        with_valve = {m.channel for m in reading.mbus if m.valve is not None}
        return P1MeterSettings(
            version=self.version,
            key=self.key,
            serial=self.serial,
            manufacturer=self.manufacturer,
            model=self.model,
            quantities=self.quantities | reading.values.keys(),
            has_tariff=self.has_tariff or reading.tariff is not None,
            mbus=tuple(replace(m, valve=True) if m.channel in with_valve else m for m in self.mbus)
            + tuple(
                MbusMeterSettings(m.channel, m.kind, m.equipment_id, m.valve is not None)
                for m in reading.mbus
                if m.channel not in known
            ),
        )


def settings_from_detected(
    meter: P1Detection, version: DsmrVersion | None, key: str | None
) -> P1MeterSettings:
    """The settings of a meter just found, with the variant the user confirmed."""
    empty = P1MeterSettings(
        version=version,
        key=key,
        serial=meter.serial,
        manufacturer=meter.manufacturer,
        model=meter.model,
        quantities=frozenset(),
        has_tariff=False,
        mbus=(),
    )
    return empty.with_reading(meter.reading) if meter.reading is not None else empty


def settings_from_reading(reading: P1Reading) -> P1MeterSettings:
    """The settings of a meter heard through a reader that sends its values (Tasmota, gPlug).

    Such a reader sends no telegram, so no DSMR variant, maker or model is known.
    """
    empty = P1MeterSettings(
        version=None,
        key=None,
        serial=reading.equipment_id,
        manufacturer=None,
        model=None,
        quantities=frozenset(),
        has_tariff=False,
        mbus=(),
    )
    return empty.with_reading(reading)


def p1_write_intervals(entry: ConfigEntry) -> tuple[float, float]:
    """How often the smart meter's power and its totals may be written, in seconds."""
    return (
        float(entry.options.get(CONF_P1_POWER_INTERVAL, DEFAULT_P1_POWER_INTERVAL)),
        float(entry.options.get(CONF_P1_TOTAL_INTERVAL, DEFAULT_P1_TOTAL_INTERVAL)),
    )
