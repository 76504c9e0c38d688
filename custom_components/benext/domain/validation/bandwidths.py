"""BeNext's usual bandwidths: what a role counts since the validation start by day 1 and 10.

The numbers are the BeNext installation manual's: kWh for PV production, the heat pump and
the ventilation (WTW), m3 for the volume of the space heating and hot tap water meters.
A bound is inclusive: an amount equal to it is within the bandwidth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from ..roles import Role
from .timeline import FIRST_DAY, TENTH_DAY, Season


@dataclass(frozen=True, slots=True)
class Bandwidth:
    """The usual range of an amount, both ends included."""

    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        """Whether `value` lies within the bandwidth."""
        return self.low <= value <= self.high


def _same(low: float, high: float) -> Mapping[Season, Bandwidth]:
    band = Bandwidth(low, high)
    return {Season.WINTER: band, Season.SUMMER: band}


# role -> day -> season -> bandwidth.
BANDWIDTHS: Final[Mapping[Role, Mapping[int, Mapping[Season, Bandwidth]]]] = MappingProxyType(
    {
        Role.PV: {
            FIRST_DAY: _same(0.01, 10),
            TENTH_DAY: {
                Season.WINTER: Bandwidth(0.01, 10),
                Season.SUMMER: Bandwidth(10, 100),
            },
        },
        Role.HEAT_PUMP: {
            FIRST_DAY: {
                Season.WINTER: Bandwidth(0.01, 15),
                Season.SUMMER: Bandwidth(0.01, 5),
            },
            TENTH_DAY: {
                Season.WINTER: Bandwidth(50, 100),
                Season.SUMMER: Bandwidth(2, 15),
            },
        },
        Role.VENTILATION: {FIRST_DAY: _same(0.01, 10), TENTH_DAY: _same(1, 20)},
        Role.SPACE_HEATING: {FIRST_DAY: _same(0.001, 10), TENTH_DAY: _same(0.5, 20)},
        Role.HOT_TAP_WATER: {FIRST_DAY: _same(0.001, 5), TENTH_DAY: _same(0.2, 5)},
    }
)

# The indoor temperature BeNext expects, in degrees Celsius, whenever it is read.
INDOOR_TEMPERATURE: Final = Bandwidth(15.0, 25.0)


def bandwidth(role: Role, day: int, season: Season) -> Bandwidth | None:
    """The bandwidth of what `role` counted by `day`; None when BeNext gives none."""
    days = BANDWIDTHS.get(role)
    if days is None or day not in days:
        return None
    return days[day][season]
