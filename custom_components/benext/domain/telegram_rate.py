"""How often a wireless meter is heard: telegrams per hour, kept as a count and a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

# A rate says something only over this much time: a meter's first minutes say too little,
# and a meter sending every 15 minutes has sent four telegrams in an hour.
MIN_HISTORY: Final = timedelta(hours=1)
_HOUR = timedelta(hours=1)


class TelegramRate:
    """Telegrams per hour since a meter was first heard (since the start): no list kept.

    Measured on Home Assistant's receipt times, never on a meter's clock, and up to now:
    a meter that falls silent is heard ever less often.
    """

    __slots__ = ("first_at", "since_first")

    def __init__(self) -> None:
        """Nothing heard yet."""
        self.first_at: datetime | None = None
        # Telegrams after the first: the first starts the time they are counted over.
        self.since_first = 0

    def note(self, at: datetime) -> None:
        """A telegram received at `at`."""
        if self.first_at is None:
            self.first_at = at
        else:
            self.since_first += 1

    def per_hour(self, now: datetime) -> float | None:
        """Telegrams an hour until `now`; None before an hour has passed since the first."""
        if self.first_at is None or (elapsed := now - self.first_at) < MIN_HISTORY:
            return None
        return round(self.since_first / (elapsed / _HOUR), 2)
