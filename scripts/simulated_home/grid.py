"""What the simulated home's smart meter measures: the grid connection's power and totals.

The grid carries the household load (`household`) plus the three metered loads that
the RS485 kWh meters see (`home_energy`: PV, heat pump, ventilation; PV negative
while it produces), so grid = household + heat pump + ventilation - PV production,
in power and in energy. Powers are in whole watts, as a DSMR meter shows them (kW
with three decimals); PV counts a third on each phase, the 1-phase meters on their
phase (`home_energy.PHASE`).

The totals are integer joules, so they are exact and never go backwards, and are
shown in whole Wh. They start at EPOCH from START_WH and integrate the net power
(the meter nets the three phases, as Dutch meters do) in pieces: the household part
exactly, switch by switch; the kWh meters' part on their own 5-minute grid, each
step at its start's power, as `home_energy` integrates their totals. The grid's
energy thus equals the household's plus the kWh meters' net energy.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
import functools
from typing import NamedTuple

from . import home_energy, household

STEP = home_energy.STEP
EPOCH = int(home_energy.EPOCH.timestamp())


class Totals(NamedTuple):
    """Energy registers: import and export, per tariff (1 = low, 2 = normal)."""

    import_t1: int
    import_t2: int
    export_t1: int
    export_t2: int

    def plus(self, other: Totals) -> Totals:
        return Totals(*(a + b for a, b in zip(self, other, strict=True)))


ZERO = Totals(0, 0, 0, 0)
# Wh at EPOCH: a zero-energy home whose meter was installed some years before.
START_WH = Totals(5_812_417, 4_127_903, 3_306_228, 6_941_712)


def is_low_tariff(local: datetime) -> bool:
    """Dutch double tariff: low (tariff 1) at night, 23:00 to 07:00, and in the weekend."""
    return local.weekday() >= 5 or local.hour < 7 or local.hour >= 23


def tariff(ts: float) -> int:
    """The tariff the meter counts in at an instant: 1 (low) or 2 (normal)."""
    return 1 if is_low_tariff(datetime.fromtimestamp(ts, home_energy.HOME_ZONE)) else 2


def _spread(watts: int) -> tuple[int, int, int]:
    """Whole watts over three phases, adding up to the total."""
    third, rest = divmod(watts, 3)
    return (third + (rest > 0), third + (rest > 1), third)


def metered_w(ts: float) -> tuple[int, int, int]:
    """The kWh meters' loads per phase in whole watts (PV negative while producing)."""
    phases = [0, 0, 0]
    for role, power in home_energy.POWER_W.items():
        watts = round(power(ts))
        if role in home_energy.PHASE:
            phases[home_energy.PHASE[role]] += watts
        else:
            for phase, share in enumerate(_spread(watts)):
                phases[phase] += share
    return (phases[0], phases[1], phases[2])


def phase_power_w(ts: float) -> tuple[int, int, int]:
    """The grid's net power per phase in whole watts: import positive, export negative."""
    home, metered = household.household_w(ts), metered_w(ts)
    return (home[0] + metered[0], home[1] + metered[1], home[2] + metered[2])


def _register(net_w: int, low: bool) -> int:
    """The index in Totals that a net power counts in."""
    return (0 if net_w >= 0 else 2) + (0 if low else 1)


@dataclass(frozen=True, slots=True)
class _Day:
    """A local day cut into pieces of constant net power, with the energy before each."""

    starts: list[int]  # each piece's start; the day's end last
    net_w: list[int]
    low: list[bool]
    before_j: list[Totals]  # the energy since midnight at each start


@functools.lru_cache(maxsize=8)
def _day(day: date) -> _Day:
    start, end = household.midnight(day), household.midnight(day + timedelta(days=1))
    runs = household.runs_on(day)
    # How the household load changes at each instant within the day.
    changes: dict[int, int] = {}
    home = sum(household.BASE_W)
    for run in runs:
        if run.start <= start:
            home += run.watts
        else:
            changes[run.start] = changes.get(run.start, 0) + run.watts
        if run.end < end:
            changes[run.end] = changes.get(run.end, 0) - run.watts
    cuts = sorted({*range(start, end, STEP), *changes})
    metered = {step: sum(metered_w(step)) for step in range(start, end, STEP)}
    net_w, low, before = [], [], [ZERO]
    energy = [0, 0, 0, 0]
    for piece, (at, until) in enumerate(zip(cuts, [*cuts[1:], end], strict=True)):
        home += changes.get(at, 0)
        net = home + metered[at - (at - start) % STEP]
        net_w.append(net)
        low.append(is_low_tariff(datetime.fromtimestamp(at, home_energy.HOME_ZONE)))
        energy[_register(net, low[piece])] += abs(net) * (until - at)
        before.append(Totals(*energy))
    return _Day([*cuts, end], net_w, low, before)


# The energy from EPOCH to each local day's midnight, filled in day by day.
_BEFORE: list[Totals] = [ZERO]


def _before(day: date) -> Totals:
    first = home_energy.EPOCH.date()
    while len(_BEFORE) <= (day - first).days:
        known = first + timedelta(days=len(_BEFORE) - 1)
        _BEFORE.append(_BEFORE[-1].plus(_day(known).before_j[-1]))
    return _BEFORE[(day - first).days]


def energy_j(ts: int) -> Totals:
    """The grid's energy registers' increase from EPOCH to a whole second, in joules."""
    ts = max(ts, EPOCH)
    day = household.local_day(ts)
    table = _day(day)
    piece = bisect_right(table.starts, ts) - 1
    within = list(table.before_j[piece])
    net = table.net_w[piece]
    within[_register(net, table.low[piece])] += abs(net) * (ts - table.starts[piece])
    return _before(day).plus(Totals(*within))


def totals_wh(ts: int) -> Totals:
    """The meter's energy registers at a whole second, in whole Wh."""
    return START_WH.plus(Totals(*(joules // 3600 for joules in energy_j(ts))))
