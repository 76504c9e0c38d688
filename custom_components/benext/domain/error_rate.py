"""The share of telegrams thrown away over the last hour, in one-minute buckets."""

from __future__ import annotations

from collections import deque

WINDOW_MINUTES = 60


class ErrorRate:
    """Counts good and rejected telegrams per minute for the last hour."""

    def __init__(self) -> None:
        """Start with no telegram counted."""
        # (minute, telegrams, rejected)
        self._buckets: deque[list[int]] = deque()

    def count(self, now: float, *, rejected: bool) -> None:
        """Count one telegram at `now` (seconds)."""
        minute = int(now // 60)
        if not self._buckets or self._buckets[-1][0] != minute:
            self._buckets.append([minute, 0, 0])
            while self._buckets and self._buckets[0][0] <= minute - WINDOW_MINUTES:
                self._buckets.popleft()
        bucket = self._buckets[-1]
        bucket[1] += 1
        bucket[2] += rejected

    def percent(self, now: float) -> float | None:
        """Rejected telegrams as a percentage of all of the last hour; None without any."""
        oldest = int(now // 60) - WINDOW_MINUTES
        telegrams = sum(b[1] for b in self._buckets if b[0] > oldest)
        if telegrams == 0:
            return None
        rejected = sum(b[2] for b in self._buckets if b[0] > oldest)
        return round(100 * rejected / telegrams, 2)
