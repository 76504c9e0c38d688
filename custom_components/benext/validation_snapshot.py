"""The home as the validation sees it now: a `HomeSnapshot` from a loaded installation."""

from __future__ import annotations

from datetime import datetime

from .domain.validation.snapshot import BusSnapshot, HomeSnapshot, MeterSnapshot
from .meter_buses import meter_bus_of
from .runtime import BeNextConfigEntry


def home_snapshot(entry: BeNextConfigEntry, now: datetime) -> HomeSnapshot:
    """The installation's buses and meters as they stand at `now`.

    Nothing counted since a validation start yet: without long-term statistics and a
    stored start, the start is `now`, so day 1 lies ahead and data correctness stays
    pending. A meter whose bus is not configured is left out, as its entities are.
    """
    runtime = entry.runtime_data
    meters: list[MeterSnapshot] = []
    for subentry in entry.subentries.values():
        meter_bus = meter_bus_of(subentry)
        if meter_bus is None or (coordinator := runtime.buses.get(meter_bus.bus)) is None:
            continue
        meters.append(meter_bus.meter_snapshot(coordinator, subentry))
    return HomeSnapshot(
        buses=tuple(
            BusSnapshot(bus.value, coordinator.condition)
            for bus, coordinator in runtime.buses.items()
        ),
        meters=tuple(meters),
        validation_start=now,
        now=now,
    )
