"""The home as the validation sees it now: a `HomeSnapshot` from a loaded installation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from .domain.validation.snapshot import BusSnapshot, Counted, HomeSnapshot, MeterSnapshot
from .meter_buses import METER_BUSES, loaded_meters
from .runtime import BeNextConfigEntry


@dataclass(frozen=True, slots=True)
class MeterAmounts:
    """What one meter counted since the validation start, as its statistics tell."""

    counted_day_1: Counted | None = None
    counted_day_10: Counted | None = None
    counted: Counted | None = None
    # kWh a PV meter counted between sunset and sunrise.
    night_production: float | None = None


NO_AMOUNTS = MeterAmounts()


def home_snapshot(
    entry: BeNextConfigEntry,
    now: datetime,
    validation_start: datetime | None = None,
    amounts: Mapping[str, MeterAmounts] | None = None,
) -> HomeSnapshot:
    """The installation's buses and meters as they stand at `now`.

    `amounts` holds what each meter (by subentry id) counted since `validation_start`;
    without a start, the start is `now`, so day 1 lies ahead and data correctness stays
    pending. A meter whose bus is not configured is left out, as its entities are.
    """
    runtime = entry.runtime_data
    amounts = amounts or {}
    meters: list[MeterSnapshot] = []
    for subentry, meter_bus, coordinator in loaded_meters(entry):
        counted = amounts.get(subentry.subentry_id, NO_AMOUNTS)
        meters.append(
            replace(
                meter_bus.meter_snapshot(coordinator, subentry),
                counted_day_1=counted.counted_day_1,
                counted_day_10=counted.counted_day_10,
                counted=counted.counted,
                night_production=counted.night_production,
            )
        )
    return HomeSnapshot(
        buses=tuple(
            BusSnapshot(bus.value, coordinator.condition)
            for bus, coordinator in runtime.buses.items()
        ),
        meters=tuple(meters),
        validation_start=validation_start or now,
        now=now,
        scan=tuple(
            hit
            for bus, coordinator in runtime.buses.items()
            for hit in METER_BUSES[bus].scan_hits(coordinator)
        ),
    )
