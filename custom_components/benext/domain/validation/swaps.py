"""Common faults 1 and 2: two meters whose roles were swapped, seen in what they count.

The manual's example: heat pump 30 kWh against ventilation 300 kWh is swapped; 50 kWh
against 40 kWh is valid. A pair is swapped when the meter expected to count less counts
significantly more (comparison.SIGNIFICANT_FACTOR), judged on the latest of the day-1 and
day-10 amounts, so a fresh installation's first hours never decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ..roles import Role
from .comparison import significantly_higher
from .findings import Finding, FindingCode, finding
from .snapshot import Counted, HomeSnapshot, MeterSnapshot
from .timeline import Season


@dataclass(frozen=True, slots=True)
class SwapPair:
    """Two roles of which the first counts significantly more, in the given seasons."""

    code: FindingCode
    higher: Role
    lower: Role
    unit: str
    seasons: frozenset[Season]


SWAP_PAIRS: Final = (
    # Winter only: in summer BeNext's own day-10 bandwidths (heat pump 2-15 kWh,
    # ventilation 1-20 kWh) let the ventilation count ten times the heat pump.
    SwapPair(
        FindingCode.HEAT_PUMP_VENTILATION_SWAPPED,
        Role.HEAT_PUMP,
        Role.VENTILATION,
        "kWh",
        frozenset({Season.WINTER}),
    ),
    SwapPair(
        FindingCode.SPACE_HEATING_HOT_TAP_WATER_SWAPPED,
        Role.SPACE_HEATING,
        Role.HOT_TAP_WATER,
        "m³",
        frozenset(Season),
    ),
)


def swapped(higher: float, lower: float) -> bool:
    """Whether the amount expected to be the lower one is significantly higher."""
    return significantly_higher(lower, higher)


def latest_counted(meter: MeterSnapshot) -> Counted | None:
    """What a meter counted by day 10, else by day 1; None before day 1."""
    return meter.counted_day_10 or meter.counted_day_1


def check_swaps(home: HomeSnapshot) -> list[Finding]:
    """A finding per swapped pair, naming the meter in the higher role first.

    Judged only with exactly one meter in each role (more is a configuration finding).
    """
    findings: list[Finding] = []
    for pair in SWAP_PAIRS:
        higher, lower = home.meters_in(pair.higher), home.meters_in(pair.lower)
        if home.season not in pair.seasons or len(higher) != 1 or len(lower) != 1:
            continue
        higher_counted, lower_counted = latest_counted(higher[0]), latest_counted(lower[0])
        if higher_counted is None or lower_counted is None:
            continue
        if swapped(higher_counted.amount, lower_counted.amount):
            findings.append(
                finding(
                    pair.code,
                    higher[0].meter_id,
                    lower[0].meter_id,
                    higher_amount=format_amount(higher_counted.amount),
                    lower_amount=format_amount(lower_counted.amount),
                    unit=pair.unit,
                )
            )
    return findings


def format_amount(value: float) -> str:
    """An amount as a message shows it: at most three decimals, no trailing zeros."""
    return f"{round(value, 3):g}"
