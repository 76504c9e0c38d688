"""The hours of a period for which a total has no hourly statistics row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

HOUR_S = 3600.0


@dataclass(frozen=True, slots=True)
class Gap:
    """Hours without a row: from the start of the first to the end of the last."""

    start: datetime
    end: datetime

    @property
    def hours(self) -> int:
        """How many hours are missing."""
        return round((self.end - self.start).total_seconds() / HOUR_S)


def gaps(row_starts: Iterable[float], start: datetime, end: datetime) -> tuple[Gap, ...]:
    """The runs of hours from `start` to `end` that have no row, in order.

    `row_starts` are the rows' start times as POSIX timestamps (as the recorder gives
    them), in any order; rows outside the period are ignored. `start` and `end` are on
    the hour.
    """
    start_ts, end_ts = start.timestamp(), end.timestamp()
    found: list[Gap] = []
    expected = start_ts
    for row_start in sorted({ts for ts in row_starts if start_ts <= ts < end_ts}):
        if row_start > expected:
            found.append(_gap(expected, row_start, start))
        expected = row_start + HOUR_S
    if expected < end_ts:
        found.append(_gap(expected, end_ts, start))
    return tuple(found)


def missing_hours(found: Iterable[Gap]) -> int:
    """How many hours the gaps miss together."""
    return sum(gap.hours for gap in found)


def _gap(start_ts: float, end_ts: float, like: datetime) -> Gap:
    zone = like.tzinfo or UTC
    return Gap(
        datetime.fromtimestamp(start_ts, UTC).astimezone(zone),
        datetime.fromtimestamp(end_ts, UTC).astimezone(zone),
    )
