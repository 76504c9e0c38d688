"""When the validation judges: the season, and the days counted from the validation start."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final


class Season(StrEnum):
    """Where BeNext's bandwidths differ: a heat pump heats in winter, PV yields in summer."""

    WINTER = "winter"
    SUMMER = "summer"


# The heating season of a Dutch home: October up to and including April is winter, May up
# to and including September summer. The manual names winter and summer but no dates.
WINTER_MONTHS: Final = frozenset({10, 11, 12, 1, 2, 3, 4})

# The days on which BeNext reads what was counted since the validation start.
FIRST_DAY: Final = 1
TENTH_DAY: Final = 10


def season_of(day: date) -> Season:
    """The season of a date, by its month."""
    return Season.WINTER if day.month in WINTER_MONTHS else Season.SUMMER


def checkpoint(validation_start: datetime, day: int) -> datetime:
    """The end of day `day` counted from the validation start: where its amounts are read."""
    return validation_start + timedelta(days=day)
