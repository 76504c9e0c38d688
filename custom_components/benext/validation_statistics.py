"""What each meter counted since the validation start, from the recorder's long-term statistics.

The recorder keeps an hourly sum of every total sensor, so weeks of data cost a few rows
per meter. Its queries run in the recorder's own executor, never in the event loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from homeassistant.components.recorder import get_instance
from homeassistant.components.recorder.statistics import (
    statistic_during_period,
    statistics_during_period,
)
from homeassistant.const import SUN_EVENT_SUNRISE, SUN_EVENT_SUNSET, UnitOfEnergy, UnitOfVolume
from homeassistant.core import HomeAssistant
from homeassistant.helpers.sun import get_astral_event_date
from homeassistant.util import dt as dt_util
from sqlalchemy.exc import SQLAlchemyError

from .const import LOGGER
from .domain.roles import Role
from .domain.validation.night import Night, night_production
from .domain.validation.snapshot import Counted
from .domain.validation.timeline import FIRST_DAY, TENTH_DAY, checkpoint
from .meter_bus import CountedStatistics
from .meter_buses import loaded_meters
from .runtime import BeNextConfigEntry
from .validation_snapshot import NO_AMOUNTS, MeterAmounts

RECORDER: Final = "recorder"
# The units the validation's bandwidths are in, whatever unit a sensor shows.
STATISTIC_UNITS: Final = {
    "energy": UnitOfEnergy.KILO_WATT_HOUR,
    "volume": UnitOfVolume.CUBIC_METERS,
}


@dataclass(frozen=True, slots=True)
class MeterStatistics:
    """One meter's statistics to read, and what an earlier reading already found."""

    subentry_id: str
    statistics: CountedStatistics
    known: MeterAmounts
    # The nights since the validation start, for a PV meter; None for any other role.
    nights: tuple[Night, ...] | None


async def async_meter_amounts(
    hass: HomeAssistant,
    entry: BeNextConfigEntry,
    validation_start: datetime,
    now: datetime,
    known: Mapping[str, MeterAmounts],
) -> dict[str, MeterAmounts]:
    """What each meter (by subentry id) counted since `validation_start`, as far as `now`.

    `known` is what an earlier call with the same start returned: an amount of day 1 or
    day 10 found there cannot change once its day has passed, and is not read again. A
    meter without statistics is left out, and so is every meter while the recorder is not
    loaded: its data correctness stays pending. When the database cannot be read, what was
    known stays.
    """
    if RECORDER not in hass.config.components:
        return {}
    nights: tuple[Night, ...] | None = None
    meters: list[MeterStatistics] = []
    for subentry, meter_bus, _coordinator in loaded_meters(entry):
        statistics = meter_bus.counted_statistics(entry, subentry)
        if statistics is None:
            continue
        pv_nights = None
        if meter_bus.meter_role(subentry) is Role.PV:
            if nights is None:
                nights = nights_between(hass, validation_start, now)
            pv_nights = nights
        subentry_id = subentry.subentry_id
        meters.append(
            MeterStatistics(subentry_id, statistics, known.get(subentry_id, NO_AMOUNTS), pv_nights)
        )
    if not meters:
        return {}
    try:
        return await get_instance(hass).async_add_executor_job(
            _read_amounts, hass, meters, validation_start, now
        )
    except SQLAlchemyError as err:
        # The database is busy or broken: the next run reads again.
        LOGGER.warning("The meters' statistics could not be read for the validation: %s", err)
        return dict(known)


def nights_between(hass: HomeAssistant, start: datetime, end: datetime) -> tuple[Night, ...]:
    """The nights at the home's location that overlap `start` to `end`.

    A day without a sunset or sunrise (far north) has no night here.
    """
    day = dt_util.as_local(start).date() - timedelta(days=1)
    last = dt_util.as_local(end).date()
    nights: list[Night] = []
    while day <= last:
        sunset = get_astral_event_date(hass, SUN_EVENT_SUNSET, day)
        sunrise = get_astral_event_date(hass, SUN_EVENT_SUNRISE, day + timedelta(days=1))
        if sunset is not None and sunrise is not None:
            nights.append(Night(sunset, sunrise))
        day += timedelta(days=1)
    return tuple(nights)


def _read_amounts(
    hass: HomeAssistant, meters: Iterable[MeterStatistics], start: datetime, now: datetime
) -> dict[str, MeterAmounts]:
    """Read every meter's amounts from the database; runs in the recorder's executor."""
    day_1, day_10 = checkpoint(start, FIRST_DAY), checkpoint(start, TENTH_DAY)

    def on_day(known: Counted | None, day_end: datetime, meter: MeterStatistics) -> Counted | None:
        if known is not None or now < day_end:
            return known
        return _counted(hass, meter.statistics, start, day_end)

    return {
        meter.subentry_id: MeterAmounts(
            counted_day_1=on_day(meter.known.counted_day_1, day_1, meter),
            counted_day_10=on_day(meter.known.counted_day_10, day_10, meter),
            counted=_counted(hass, meter.statistics, start, now),
            night_production=(
                None
                if meter.nights is None
                else _night_production(hass, meter.statistics, meter.nights, start, now)
            ),
        )
        for meter in meters
    }


def _counted(
    hass: HomeAssistant, statistics: CountedStatistics, start: datetime, end: datetime
) -> Counted | None:
    """What the statistics counted from `start` to `end`; None while one of them has none."""
    amount = _change(hass, statistics.amount, start, end)
    opposite = _change(hass, statistics.opposite, start, end)
    if amount is None or opposite is None:
        return None
    return Counted(amount, opposite)


def _change(
    hass: HomeAssistant, statistic_ids: Iterable[str], start: datetime, end: datetime
) -> float | None:
    """The summed change of the statistics from `start` to `end`."""
    total = 0.0
    for statistic_id in statistic_ids:
        change = statistic_during_period(
            hass, start, end, statistic_id, {"change"}, dict(STATISTIC_UNITS)
        ).get("change")
        if change is None:
            return None
        total += change
    return total


def _night_production(
    hass: HomeAssistant,
    statistics: CountedStatistics,
    nights: tuple[Night, ...],
    start: datetime,
    end: datetime,
) -> float | None:
    """What a PV meter produced at night, from its hourly statistics; None without any."""
    rows = statistics_during_period(
        hass, start, end, set(statistics.amount), "hour", dict(STATISTIC_UNITS), {"change"}
    )
    hourly = [
        (dt_util.utc_from_timestamp(row["start"]), change)
        for statistic_rows in rows.values()
        for row in statistic_rows
        if (change := row.get("change")) is not None
    ]
    return night_production(hourly, nights) if hourly else None
