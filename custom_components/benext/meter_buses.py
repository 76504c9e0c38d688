"""The buses an installation can have, each behind the MeterBus interface."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from homeassistant.config_entries import ConfigEntry, ConfigSubentry

from .bus.connection import Bus
from .coordinator import BusCoordinator
from .existing.meter_bus import ExistingEntityMeterBus
from .meter_bus import MeterBus
from .modbus.meter_bus import ModbusMeterBus
from .p1.meter_bus import P1MeterBus
from .runtime import BeNextConfigEntry
from .wmbus.meter_bus import WmbusMeterBus

METER_BUSES: Mapping[Bus, MeterBus[Any]] = {
    meter_bus.bus: meter_bus
    for meter_bus in (P1MeterBus(), ModbusMeterBus(), WmbusMeterBus(), ExistingEntityMeterBus())
}


def meter_bus_of(subentry: ConfigSubentry) -> MeterBus[BusCoordinator] | None:
    """The bus that carries a meter (a config subentry), or None for an unknown kind."""
    return next(
        (bus for bus in METER_BUSES.values() if subentry.subentry_type in bus.subentry_flows),
        None,
    )


class LoadedMeter(NamedTuple):
    """A meter of a loaded installation, with its bus and that bus's coordinator."""

    subentry: ConfigSubentry
    meter_bus: MeterBus[BusCoordinator]
    coordinator: BusCoordinator


def loaded_meters(entry: BeNextConfigEntry) -> Iterator[LoadedMeter]:
    """The installation's meters whose bus is set up; a meter of another bus is left out."""
    buses = entry.runtime_data.buses
    for subentry in entry.subentries.values():
        meter_bus = meter_bus_of(subentry)
        if meter_bus is not None and (coordinator := buses.get(meter_bus.bus)) is not None:
            yield LoadedMeter(subentry, meter_bus, coordinator)


def meters_on_bus(entry: ConfigEntry, bus: Bus) -> list[str]:
    """The titles of the meters (subentries) that the bus carries."""
    return [
        subentry.title
        for subentry in entry.subentries.values()
        if (meter_bus := meter_bus_of(subentry)) is not None and meter_bus.bus is bus
    ]
