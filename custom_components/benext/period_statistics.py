"""A period report's figures, read from the recorder's long-term (hourly) statistics.

The queries run in the recorder's own executor, never in the event loop: a year of one
total is 8760 rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.recorder import get_instance
from homeassistant.components.recorder.statistics import (
    get_display_unit,
    get_metadata,
    statistics_during_period,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from .domain.period.bounds import HOUR
from .domain.period.figures import HourRow, period_figures
from .domain.period.report import MeterReport, PeriodReport, TotalReport
from .meter_buses import meter_bus_of
from .runtime import BeNextConfigEntry


@dataclass(frozen=True, slots=True)
class Total:
    """A total sensor to report: its entity id, its name and its unit as the user sees them."""

    entity_id: str
    name: str
    unit: str | None


@dataclass(frozen=True, slots=True)
class Meter:
    """A meter to report, by its title and role, with its totals."""

    title: str
    role: str
    totals: tuple[Total, ...]


def meters_to_report(hass: HomeAssistant, entry: BeNextConfigEntry) -> list[Meter]:
    """The installation's meters with their total sensors, in the order they were added."""
    registry = er.async_get(hass)
    meters: list[Meter] = []
    for subentry in entry.subentries.values():
        meter_bus = meter_bus_of(subentry)
        if meter_bus is None:
            continue
        totals = tuple(
            _total(hass, registry, entity_id)
            for entity_id in meter_bus.period_totals(hass, entry, subentry)
        )
        if totals:
            meters.append(Meter(subentry.title, meter_bus.meter_role(subentry).value, totals))
    return meters


def _total(hass: HomeAssistant, registry: er.EntityRegistry, entity_id: str) -> Total:
    state = hass.states.get(entity_id)
    entity = registry.async_get(entity_id)
    if state is not None:
        name = state.name
    elif entity is not None:
        name = entity.name or entity.original_name or entity_id
    else:
        name = entity_id
    unit = entity.unit_of_measurement if entity is not None else None
    return Total(entity_id, name, unit)


async def async_period_report(
    hass: HomeAssistant,
    installation: str,
    meters: Sequence[Meter],
    start: datetime,
    end: datetime,
) -> PeriodReport:
    """Every meter's figures from `start` to `end` (on the hour), read in the executor."""
    return await get_instance(hass).async_add_executor_job(
        _read_report, hass, installation, meters, start, end
    )


def _read_report(
    hass: HomeAssistant,
    installation: str,
    meters: Sequence[Meter],
    start: datetime,
    end: datetime,
) -> PeriodReport:
    """Read the statistics of every total at once; runs in the recorder's executor."""
    entity_ids = {total.entity_id for meter in meters for total in meter.totals}
    metadata = {
        statistic_id: meta
        for statistic_id, meta in get_metadata(hass, statistic_ids=entity_ids).items()
        if meta[1]["has_sum"]
    }
    # From the hour before the start: its row holds the reading the period starts from.
    # Each first row's change is its sum minus the sum before it, as the dashboard counts.
    rows = (
        statistics_during_period(
            hass,
            dt_util.as_utc(start) - HOUR,
            end,
            set(metadata),
            "hour",
            None,
            {"state", "sum", "change"},
        )
        if metadata
        else {}
    )

    def report(total: Total) -> TotalReport:
        found = rows.get(total.entity_id, [])
        hour_rows = [HourRow(row["start"], row.get("state"), row.get("sum")) for row in found]
        sum_before = 0.0
        if found and (first_sum := found[0].get("sum")) is not None:
            sum_before = first_sum - (found[0].get("change") or 0.0)
        unit = total.unit
        if (meta := metadata.get(total.entity_id)) is not None:
            statistic = meta[1]
            unit = get_display_unit(
                hass,
                total.entity_id,
                statistic.get("unit_class"),
                statistic["unit_of_measurement"],
            )
        return TotalReport(
            total.entity_id,
            total.name,
            unit,
            period_figures(hour_rows, sum_before, start, end),
        )

    return PeriodReport(
        installation,
        start,
        end,
        tuple(
            MeterReport(meter.title, meter.role, tuple(report(total) for total in meter.totals))
            for meter in meters
        ),
    )
