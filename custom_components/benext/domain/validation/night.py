"""What a PV meter produced at night, from its hourly statistics.

Only hours that lie wholly between a sunset and the next sunrise count: the hour in which
the sun sets still holds daylight production, which is no fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

HOUR: Final = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Night:
    """From one sunset to the next sunrise; both aware."""

    sunset: datetime
    sunrise: datetime

    def holds_hour(self, hour_start: datetime) -> bool:
        """Whether the hour starting at `hour_start` lies wholly within the night."""
        return self.sunset <= hour_start and hour_start + HOUR <= self.sunrise


def night_production(hourly: Iterable[tuple[datetime, float]], nights: Iterable[Night]) -> float:
    """The sum of the hourly amounts (start of the hour, amount) counted in the nights."""
    nights = tuple(nights)
    return sum(
        (amount for start, amount in hourly if any(night.holds_hour(start) for night in nights)),
        0.0,
    )
