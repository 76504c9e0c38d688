"""The meter on the smart meter's M-Bus channel 1: gas (type 3, m3) or heat (type 4, GJ).

A DSMR 5 meter refreshes an M-Bus reading every 5 minutes and sends it with the
instant it was captured. Gas is what the gas hob burns when dinner is cooked on it
(`household`): a few m3 a year. Heat is a district-heating delivery set, such as a
Warmtelink: space heating that follows the season and the hour, plus morning and
evening showers. Both are pure functions of the time and start at EPOCH from a fixed
reading, in whole litres and whole MJ, so they never go backwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
import functools
import math
from typing import Literal

from . import home_energy, household

MbusKind = Literal["gas", "heat"]
INTERVAL = 300  # seconds between two captures of the reading
EPOCH = int(home_energy.EPOCH.timestamp())
START_GAS_L = 48_214
START_HEAT_MJ = 86_517
HEAT_STEP = 300  # seconds: the grid on which the heat delivery is integrated


@dataclass(frozen=True, slots=True)
class MbusReading:
    """The channel's last captured reading."""

    device_type: int  # 3 gas, 4 heat, as in 0-n:24.1.0
    captured: int  # Unix time of the capture
    value: float
    unit: str


def _gas_ml(day: date, until: int) -> int:
    """The gas the hob burnt on a day before an instant, in millilitres."""
    return sum(
        max(0, min(until, run.end) - run.start) * run.litres_per_hour * 1000 // 3600
        for run in household.gas_runs_on(day)
    )


def heat_kw(ts: float) -> float:
    """The heat delivered at an instant: space heating by season and hour, and showers."""
    local = datetime.fromtimestamp(ts, home_energy.HOME_ZONE)
    winter = (1 + math.cos(2 * math.pi * (local.timetuple().tm_yday - 20) / 365.25)) / 2
    space = 2.2 * math.pow(winter, 1.5) * (0.55 if local.hour < 6 or local.hour >= 23 else 1.0)
    hour = local.hour + local.minute / 60
    shower = (6.5 <= hour < 8.5 and household.unit(int(ts) // HEAT_STEP, "shower") < 0.15) or (
        20 <= hour < 22 and household.unit(int(ts) // HEAT_STEP, "shower") < 0.05
    )
    return space + (18.0 if shower else 0.0)


def _heat_kj(day: date, until: int) -> int:
    """The heat delivered on a day before an instant, in kJ, on the 5-minute grid."""
    start = household.midnight(day)
    return sum(
        round(heat_kw(step) * min(HEAT_STEP, until - step))
        for step in range(start, until, HEAT_STEP)
    )


@functools.cache
def _day_total(kind: MbusKind, day: date) -> int:
    end = household.midnight(day + timedelta(days=1))
    return _gas_ml(day, end) if kind == "gas" else _heat_kj(day, end)


def _since_epoch(kind: MbusKind, ts: int) -> int:
    """Millilitres of gas or kJ of heat from EPOCH to an instant."""
    if ts <= EPOCH:
        return 0
    today = household.local_day(ts)
    day, total = home_energy.EPOCH.date(), 0
    while day < today:
        total += _day_total(kind, day)
        day += timedelta(days=1)
    return total + (_gas_ml(today, ts) if kind == "gas" else _heat_kj(today, ts))


def reading(kind: MbusKind, ts: float) -> MbusReading:
    """What the meter sends for channel 1 at an instant: the last 5-minute capture."""
    return _captured(kind, int(ts) - int(ts) % INTERVAL)


@functools.lru_cache(maxsize=4)
def _captured(kind: MbusKind, captured: int) -> MbusReading:
    if kind == "gas":
        litres = START_GAS_L + _since_epoch("gas", captured) // 1000
        return MbusReading(3, captured, litres / 1000, "m3")
    megajoules = START_HEAT_MJ + _since_epoch("heat", captured) // 1000
    return MbusReading(4, captured, megajoules / 1000, "GJ")
