"""What the simulated home's wireless M-Bus meters measure: pure functions of the time.

- Space heating (an Axioma heat meter on the floor heating): the heat pump's output
  (`home_energy`'s compressor cycles times a COP of 4), less the share that goes to the
  hot-water tank: in summer the few cycles that run are all for the tank. Flow and
  return temperatures 5 K apart while it runs.
- Hot tap water (an Axioma heat meter on the hot-water line): showers in the morning and
  the evening and short draws at the kitchen tap, water at 55 degC over a 12 degC inlet.
- Cold water (a Kamstrup Multical 21): toilet flushes and tap draws, and a dripping tap
  for the last five minutes of every half hour, which the meter reports as a LEAK (demo
  speed: a real Multical 21 waits for an hour of constant flow).
- Demo speed for the draws too: most 5-minute slots by day have one, and some at night,
  so the water volumes move whenever the demo is looked at.
- Indoor climate (an Elvaco CMa12w): the living room, warmest in the afternoon.

Like the other peers' values, the totals are sums over 5-minute slots since EPOCH of
amounts in whole units (kJ, ml), each slot's amount a seeded hash of its start: the
same whoever asks, and never going backwards when the simulator restarts. Each full
day is summed once (about a second for the first reading of the year so far).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
import functools
import math
from typing import Literal

from . import home_energy, household

SLOT = 300  # seconds
EPOCH = int(home_energy.EPOCH.timestamp())
ZONE = home_energy.HOME_ZONE
WATER_KJ_PER_L_K = 4.18  # heat capacity of a litre of water

HEAT_PUMP_COP = 4.0
# The share of the heat pump's cycles that heat the hot-water tank: the summer minimum
# of home_energy's cycles that run (0.575 - 0.425 with the season at its peak).
TANK_CYCLES = 0.15
FLOOR_DELTA_K = 5.0
HOT_WATER_C = 55.0
INLET_C = 12.0
LEAK_L_PER_H = 6
# The meters' readings at EPOCH.
START_SPACE_HEATING_KJ = 6_641_000
START_SPACE_HEATING_L = 99_875
START_HOT_WATER_L = 398_773
START_HOT_WATER_KJ = round(START_HOT_WATER_L * WATER_KJ_PER_L_K * (HOT_WATER_C - INLET_C))
START_COLD_WATER_ML = 231_406_000
# When the heat meters were switched on (their on-time counters start then).
INSTALLED = int(datetime(2024, 9, 2, 10, 0, tzinfo=ZONE).timestamp())


@dataclass(frozen=True, slots=True)
class HeatMeterReading:
    """An Axioma heat meter's values."""

    local: datetime
    energy_kj: int
    volume_l: int
    power_w: int
    flow_l_per_h: int
    flow_c: float
    return_c: float
    # The billing reading at the end of the previous month.
    target_local: datetime
    target_energy_kj: int
    on_time_s: int


@dataclass(frozen=True, slots=True)
class WaterMeterReading:
    """A Kamstrup Multical 21's values."""

    total_l: int
    # The reading at the start of the month.
    target_l: int
    leaking: bool
    flow_c: int
    ambient_c: int


@dataclass(frozen=True, slots=True)
class RoomReading:
    """A room sensor's values."""

    temperature_c: float
    average_1h_c: float


def _yearly(ts: float, peak_day: int) -> float:
    """1 on the given day of the year, -1 half a year later, a cosine in between."""
    day = datetime.fromtimestamp(ts, ZONE).timetuple().tm_yday
    return math.cos(2 * math.pi * (day - peak_day) / 365.25)


def _season_winter(ts: float) -> float:
    """1 in mid-January, 0 in mid-July."""
    return (1 + _yearly(ts, 20)) / 2


def _space_heating_share(ts: float) -> float:
    """The share of the running heat pump's output that goes to the floor, not the tank."""
    running = 0.575 - 0.425 * _yearly(ts, 172)  # as in home_energy.heat_pump_power_w
    return max(0.0, (running - TANK_CYCLES) / running)


def space_heating_w(ts: float) -> float:
    """The heat going into the floor heating at an instant."""
    electric = home_energy.heat_pump_power_w(ts)
    if electric <= home_energy.HEAT_PUMP_STANDBY_W:
        return 0.0
    return HEAT_PUMP_COP * electric * _space_heating_share(ts)


def _space_heating_kj(slot: int, seconds: int) -> int:
    return round(space_heating_w(slot) * seconds / 1000)


@dataclass(frozen=True, slots=True)
class _Draw:
    """Water running from a slot's start for some seconds."""

    seconds: int
    litres_per_hour: int


type Water = Literal["hot", "cold"]


def _draw(slot: int, kind: Water) -> _Draw:
    """The water drawn in a slot: a shower or a tap (hot), a flush or a tap (cold).

    Demo speed: a short draw in most slots by day and now and then at night, so that the
    volumes move within minutes whenever the demo is looked at (a real home's stay flat
    for hours at night).
    """
    hour = datetime.fromtimestamp(slot, ZONE).hour + (slot % 3600) / 3600
    chance = household.unit(slot, kind)
    length = household.unit(slot, kind, "seconds")
    return (
        _hot_draw(slot, hour, chance, length) if kind == "hot" else _cold_draw(hour, chance, length)
    )


def _hot_draw(slot: int, hour: float, chance: float, length: float) -> _Draw:
    if (6.5 <= hour < 8.5 and chance < 0.1) or (20 <= hour < 22.5 and chance < 0.03):
        return _Draw(240 + int(60 * length), 480)  # a shower, 8 l/min
    # Every fourth slot by day for sure, so no 25 minutes pass without a draw.
    if 6 <= hour < 23.5 and (chance < 0.6 or slot // SLOT % 4 == 0):
        return _Draw(10 + int(15 * length), 300)  # the kitchen tap
    if chance < 0.1:
        return _Draw(10, 300)  # a glass of warm water at night
    return _Draw(0, 0)


def _cold_draw(hour: float, chance: float, length: float) -> _Draw:
    if 6.5 <= hour < 23.5 and chance < 0.8:
        if chance < 0.15:
            return _Draw(60, 360)  # a toilet flush, 6 litres
        return _Draw(5 + int(10 * length), 420)  # a tap
    if chance < 0.3:
        return _Draw(60, 360)  # a flush at night
    return _Draw(0, 0)


def leaking(ts: float) -> bool:
    """Whether the tap drips: the last five minutes of every half hour."""
    return int(ts) // 60 % 30 >= 25


def _water_ml(slot: int, seconds: int, kind: Water) -> int:
    draw = _draw(slot, kind)
    ml = draw.litres_per_hour * min(seconds, draw.seconds) * 1000 // 3600
    if kind == "cold" and leaking(slot):
        ml += LEAK_L_PER_H * seconds * 1000 // 3600
    return ml


_AMOUNTS: dict[str, Callable[[int, int], int]] = {
    "space_heating_kj": _space_heating_kj,
    "hot_water_ml": lambda slot, seconds: _water_ml(slot, seconds, "hot"),
    "cold_water_ml": lambda slot, seconds: _water_ml(slot, seconds, "cold"),
}


def _amount(name: str, start: int, until: int) -> int:
    """What accumulated between two instants, the first on a slot boundary."""
    amount = _AMOUNTS[name]
    return sum(amount(slot, min(SLOT, until - slot)) for slot in range(start, until, SLOT))


@functools.cache
def _day_amount(name: str, day: date) -> int:
    return _amount(name, household.midnight(day), household.midnight(day + timedelta(days=1)))


def accumulated(name: str, ts: float) -> int:
    """What accumulated from EPOCH to an instant: kJ or ml, by the name's suffix."""
    until = int(ts)
    if until <= EPOCH:
        return 0
    today = household.local_day(until)
    day, total = home_energy.EPOCH.date(), 0
    while day < today:
        total += _day_amount(name, day)
        day += timedelta(days=1)
    return total + _amount(name, household.midnight(today), until)


def _month_start(local: datetime) -> datetime:
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def space_heating(ts: float) -> HeatMeterReading:
    """The space-heating meter at an instant."""
    local = datetime.fromtimestamp(int(ts), ZONE)
    month = _month_start(local)
    heat_kj = accumulated("space_heating_kj", ts)
    power = space_heating_w(ts)
    flow_c = 31.0 + 6.0 * _season_winter(ts) if power else 25.9
    return HeatMeterReading(
        local=local,
        energy_kj=START_SPACE_HEATING_KJ + heat_kj,
        volume_l=START_SPACE_HEATING_L + round(heat_kj / (WATER_KJ_PER_L_K * FLOOR_DELTA_K)),
        power_w=round(power),
        flow_l_per_h=round(power * 3.6 / (WATER_KJ_PER_L_K * FLOOR_DELTA_K)),
        flow_c=round(flow_c, 2),
        return_c=round(flow_c - FLOOR_DELTA_K if power else 25.6, 2),
        target_local=month - timedelta(minutes=1),
        target_energy_kj=START_SPACE_HEATING_KJ
        + accumulated("space_heating_kj", month.timestamp()),
        on_time_s=int(ts) - INSTALLED,
    )


def _hot_water_kj(litres: float) -> int:
    return round(litres * WATER_KJ_PER_L_K * (HOT_WATER_C - INLET_C))


def hot_tap_water(ts: float) -> HeatMeterReading:
    """The hot-tap-water meter at an instant."""
    local = datetime.fromtimestamp(int(ts), ZONE)
    month = _month_start(local)
    slot = int(ts) - (int(ts) - EPOCH) % SLOT
    draw = _draw(slot, "hot")
    flow = draw.litres_per_hour if int(ts) - slot < draw.seconds else 0
    litres = accumulated("hot_water_ml", ts) / 1000
    # Between draws the water in the pipe at the meter cools down.
    flow_c = HOT_WATER_C if flow else 31.5
    return HeatMeterReading(
        local=local,
        energy_kj=START_HOT_WATER_KJ + _hot_water_kj(litres),
        volume_l=START_HOT_WATER_L + int(litres),
        power_w=round(flow * WATER_KJ_PER_L_K * (flow_c - INLET_C) / 3.6),
        flow_l_per_h=flow,
        flow_c=flow_c,
        return_c=INLET_C,
        target_local=month - timedelta(minutes=1),
        target_energy_kj=START_HOT_WATER_KJ
        + _hot_water_kj(accumulated("hot_water_ml", month.timestamp()) / 1000),
        on_time_s=int(ts) - INSTALLED,
    )


def cold_water(ts: float) -> WaterMeterReading:
    """The cold-water meter at an instant."""
    month = _month_start(datetime.fromtimestamp(int(ts), ZONE))
    summer = 1 - _season_winter(ts)
    return WaterMeterReading(
        total_l=(START_COLD_WATER_ML + accumulated("cold_water_ml", ts)) // 1000,
        target_l=(START_COLD_WATER_ML + accumulated("cold_water_ml", month.timestamp())) // 1000,
        leaking=leaking(ts),
        flow_c=round(8 + 7 * summer),
        ambient_c=round(17 + 4 * summer),
    )


def room_temperature_c(ts: float) -> float:
    """The living room: 20.5 degC, a degree warmer in the afternoon, a little wobble."""
    local = datetime.fromtimestamp(ts, ZONE)
    hour = local.hour + local.minute / 60
    return 20.5 + 0.9 * math.sin(2 * math.pi * (hour - 10) / 24) + 0.15 * math.sin(ts / 700)


def room_climate(ts: float) -> RoomReading:
    """The room sensor at an instant: now, and the mean of the last hour."""
    last_hour = [room_temperature_c(ts - minutes * 60) for minutes in range(0, 60, 5)]
    return RoomReading(
        temperature_c=round(room_temperature_c(ts), 2),
        average_1h_c=round(sum(last_hour) / len(last_hour), 2),
    )
