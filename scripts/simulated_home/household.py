"""The simulated home's household load: appliances switching on and off, phase by phase.

Everything the residents use besides the metered heat pump and ventilation: a standby
base load, a fridge and a freezer cycling, lights and media in 30-minute slots, short
loads (kettle, coffee, microwave, toaster, hair dryer) in 15-minute slots, and the
day's big events (dinner on the induction hob or the gas hob, the oven, washing
machine, dryer, dishwasher, vacuum cleaner). Each appliance draws a constant power
while it runs, so the load only changes when one switches.

The events are a pure function of the time: each day's, each slot's and each cycle's
chance and length come from a seeded hash of its date, slot or cycle number, with no
random state. Whoever asks gets the same load, and totals integrated from it never
depend on when the simulator started.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
import functools
import hashlib

from . import home_energy

SEED = b"benext-simulated-home-v1"
BASE_W = (24, 18, 22)  # standby per phase: modem, router, chargers, clocks
L1, L2, L3 = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Run:
    """An appliance drawing a constant power on one phase from start to end (Unix seconds)."""

    start: int
    end: int
    phase: int
    watts: int


@dataclass(frozen=True, slots=True)
class GasRun:
    """The gas hob burning a constant flow from start to end (Unix seconds)."""

    start: int
    end: int
    litres_per_hour: int


def unit(*key: object) -> float:
    """A fixed pseudo-random number in [0, 1) for a key, from a seeded BLAKE2b hash."""
    digest = hashlib.blake2b(repr(key).encode(), key=SEED, digest_size=8).digest()
    return int.from_bytes(digest) / 2**64


def _between(low: int, high: int, *key: object) -> int:
    return low + int(unit(*key) * (high - low + 1))


def midnight(day: date) -> int:
    """The Unix time at which a local day starts."""
    return int(datetime.combine(day, time(), home_energy.HOME_ZONE).timestamp())


def local_day(ts: float) -> date:
    """The local date of an instant."""
    return datetime.fromtimestamp(ts, home_energy.HOME_ZONE).date()


def _clock(day: date, hours: float) -> int:
    """The Unix time of a local clock time (hours after midnight, below 24)."""
    whole = int(hours)
    at = datetime.combine(day, time(whole), home_energy.HOME_ZONE).timestamp()
    return int(at) + round((hours - whole) * 3600)


def _program(phase: int, start: int, steps: Sequence[tuple[int, int]]) -> Iterator[Run]:
    """An appliance going through its steps: (seconds, watts) each, one after the other."""
    for seconds, watts in steps:
        if watts:
            yield Run(start, start + seconds, phase, watts)
        start += seconds


@dataclass(frozen=True, slots=True)
class _ShortLoad:
    """An appliance used for minutes: its chance of starting in a 15-minute slot, by hour."""

    name: str
    phase: int
    watts: tuple[int, int]
    seconds: tuple[int, int]
    chances: tuple[tuple[float, float, float], ...]  # from hour, to hour, chance

    def chance(self, hour: float) -> float:
        return next((c for low, high, c in self.chances if low <= hour < high), 0.0)


_SHORT_LOADS = (
    _ShortLoad(
        "kettle", L1, (2050, 2250), (110, 240), ((6.5, 9, 0.22), (10, 17, 0.06), (19, 22, 0.08))
    ),
    _ShortLoad("coffee", L1, (1350, 1500), (35, 70), ((6.5, 10, 0.25), (12, 16, 0.08))),
    _ShortLoad(
        "microwave", L3, (1050, 1200), (60, 240), ((12, 13.5, 0.18), (17, 19, 0.1), (21, 23, 0.04))
    ),
    _ShortLoad("toaster", L2, (800, 900), (140, 210), ((7, 9, 0.12),)),
    _ShortLoad("hair_dryer", L3, (1500, 1700), (150, 360), ((6.75, 8, 0.15),)),
)


def _short_loads(day: date, wake: float, bed: float) -> Iterator[Run]:
    weekend = day.weekday() >= 5
    for slot in range(int(wake * 4), int(bed * 4)):
        hour = slot / 4
        shifted = hour - 1.25 if weekend and hour < 13 else hour
        for load in _SHORT_LOADS:
            key = (day.toordinal(), load.name, slot)
            if unit(*key, "on") < load.chance(shifted):
                length = _between(*load.seconds, *key, "seconds")
                start = _clock(day, hour) + int(unit(*key, "at") * (900 - length))
                yield Run(start, start + length, load.phase, _between(*load.watts, *key, "watts"))


def _lights_and_media(day: date, wake: float, bed: float) -> Iterator[Run]:
    """Lights when it is dark, the TV at night, a home-office desk on some weekdays."""
    key = day.toordinal()
    tv_watts = _between(95, 140, key, "tv")
    office = day.weekday() < 5 and unit(key, "office") < 0.45
    for slot in range(int(wake * 2), int(bed * 2) + 1):
        start = _clock(day, slot / 2)
        end = min(start + 1800, _clock(day, bed))
        if end <= start:
            continue
        if home_energy.pv_production_w(start + 900) < 400:
            yield Run(start, end, L3, 25 * _between(1, 5, key, "lights", slot))
        if slot >= 38 and unit(key, "tv", slot) < 0.75:
            yield Run(start, end, L2, tv_watts)
        if office and (17 <= slot < 24 or 26 <= slot < 34) and unit(key, "desk", slot) < 0.85:
            yield Run(start, end, L2, 70)


def _dinner(day: date, start: int) -> tuple[list[Run], list[GasRun]]:
    """Cooking on the induction hob, or on some days on the gas hob."""
    key = day.toordinal()
    if unit(key, "gas") < 0.2:
        length = _between(600, 1500, key, "gas minutes")
        return [], [GasRun(start, start + length, _between(120, 200, key, "gas flow"))]
    steps = [
        (_between(150, 420, key, "hob", n), 600 * _between(1, 5, key, "hob level", n))
        for n in range(_between(4, 8, key, "hob steps"))
    ]
    return list(_program(L3, start, steps)), []


def _oven(day: date, dinner: int) -> Iterator[Run]:
    """Preheating, then the thermostat switching the element."""
    key = day.toordinal()
    if unit(key, "oven") >= 0.18:
        return
    start = dinner - _between(1800, 2700, key, "oven start")
    cycles = _between(10, 18, key, "oven cycles")
    yield from _program(L2, start, [(540, 2250), *[(55, 2250), (95, 0)] * cycles])


def _laundry(day: date) -> Iterator[Run]:
    key = day.toordinal()
    if unit(key, "washing") >= (0.7 if day.weekday() >= 5 else 0.5):
        return
    start = _clock(day, 8.5 + 11 * unit(key, "washing at"))
    heating = _between(900, 1200, key, "washing heat")
    program = [(300, 15), (heating, 2050), (3000, 140), (1200, 110), (480, 420), (120, 5)]
    yield from _program(L2, start, program)
    if unit(key, "dryer") < 0.55:
        dryer = start + sum(s for s, _ in program) + _between(300, 1800, key, "dryer at")
        drying = _between(5400, 7200, key, "dryer seconds")
        yield from _program(L3, dryer, [(drying, _between(650, 800, key, "dryer")), (600, 120)])


def _dishwasher(day: date) -> Iterator[Run]:
    key = day.toordinal()
    if unit(key, "dishwasher") >= 0.75:
        return
    start = _clock(day, 20.5 + 1.5 * unit(key, "dishwasher at"))
    yield from _program(L1, start, [(600, 60), (1200, 1950), (1800, 85), (900, 1950), (2400, 12)])


def _vacuum(day: date) -> Iterator[Run]:
    key = day.toordinal()
    if unit(key, "vacuum") >= (0.4 if day.weekday() >= 5 else 0.15):
        return
    start = _clock(day, 10 + 6 * unit(key, "vacuum at"))
    yield Run(start, start + _between(600, 1500, key, "vacuum s"), L3, 750)


@functools.cache
def _started_on(day: date) -> tuple[tuple[Run, ...], tuple[GasRun, ...]]:
    """The appliance runs and gas hob uses that start on a local day."""
    key = day.toordinal()
    weekend = day.weekday() >= 5
    wake = (7.75 if weekend else 6.5) + 0.75 * unit(key, "wake")
    bed = 22.75 + 0.75 * unit(key, "bed")
    dinner = _clock(day, (17.5 if weekend else 17.25) + 1.25 * unit(key, "dinner"))
    cooking, gas = _dinner(day, dinner)
    runs = [
        *_short_loads(day, wake, bed),
        *_lights_and_media(day, wake, bed),
        *cooking,
        *_oven(day, dinner),
        *_laundry(day),
        *_dishwasher(day),
        *_vacuum(day),
    ]
    return tuple(runs), tuple(gas)


# Cooling compressors: phase, period and offset from the epoch in seconds, seconds on.
_COOLING = {
    "fridge": (L1, 2700, 0, (780, 1260), (82, 96)),
    "freezer": (L2, 3900, 1300, (1300, 1900), (70, 82)),
}


def _cooling(start: int, end: int) -> Iterator[Run]:
    """The compressor cycles that overlap start..end."""
    epoch = int(home_energy.EPOCH.timestamp())
    for name, (phase, period, offset, seconds, watts) in _COOLING.items():
        first = (start - epoch - offset) // period - 1
        for cycle in range(first, (end - epoch - offset) // period + 1):
            on = epoch + offset + cycle * period
            length = _between(*seconds, name, cycle, "seconds")
            yield Run(on, on + length, phase, _between(*watts, name, cycle, "watts"))


@functools.lru_cache(maxsize=8)
def runs_on(day: date) -> tuple[Run, ...]:
    """Every appliance run that overlaps a local day, including the day before's."""
    start, end = midnight(day), midnight(day + timedelta(days=1))
    candidates = [
        *_started_on(day - timedelta(days=1))[0],
        *_started_on(day)[0],
        *_cooling(start, end),
    ]
    return tuple(r for r in candidates if r.end > start and r.start < end)


def gas_runs_on(day: date) -> tuple[GasRun, ...]:
    """The gas hob's uses on a local day (dinner never lasts past midnight)."""
    return _started_on(day)[1]


def household_w(ts: float) -> tuple[int, int, int]:
    """The household's load per phase in whole watts at an instant."""
    phases = list(BASE_W)
    for run in runs_on(local_day(ts)):
        if run.start <= ts < run.end:
            phases[run.phase] += run.watts
    return (phases[0], phases[1], phases[2])
