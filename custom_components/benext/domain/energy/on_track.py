"""Whether the home is on track: for a NOM balance of 0 or below, or within its EPV budget.

The NOM projection weights the year by when the sun shines. A NOM home imports in winter
and exports in summer, so a straight line through the balance so far would call every such
home off track until May. Instead the year's import is projected linearly from the import
so far (a household uses about as much each month; a heat pump's winter use makes this
cautious in autumn and generous in spring), and the year's export from the export so far
divided by the share of a year's PV yield that has passed. The monthly shares are those of
a south-facing system at 35° in De Bilt, rounded to half a percent (of the order PVGIS
gives for the central Netherlands): an approximation, the same for every home.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Final

# Share of a year's PV yield per month (January first), in percent; they sum to 100.
PV_MONTHLY_SHARE_PERCENT: Final = (2.5, 4.5, 8.0, 11.5, 13.5, 13.5, 13.5, 11.5, 9.0, 6.5, 3.5, 2.5)


def year_share(day: date) -> float:
    """The share of the year that has passed at the end of `day`."""
    days_in_year = 366 if monthrange(day.year, 2)[1] == 29 else 365
    return day.timetuple().tm_yday / days_in_year


def pv_year_share(day: date) -> float:
    """The share of a year's PV yield produced by the end of `day`, month by month."""
    done = sum(PV_MONTHLY_SHARE_PERCENT[: day.month - 1])
    this_month = (
        PV_MONTHLY_SHARE_PERCENT[day.month - 1] * day.day / monthrange(day.year, day.month)[1]
    )
    return (done + this_month) / 100


def projected_nom_balance(imported: float, exported: float, day: date) -> float:
    """The year's net grid energy (kWh) projected from what was imported and exported so far."""
    return imported / year_share(day) - exported / pv_year_share(day)


def nom_on_track(imported: float, exported: float, day: date) -> bool:
    """Whether the home is projected to end the year at a net grid energy of 0 or below."""
    return projected_nom_balance(imported, exported, day) <= 0


def epv_on_track(used: float, budget: float, day: date) -> bool:
    """Whether the household used no more than the budget's share for the year so far."""
    return used <= budget * year_share(day)
