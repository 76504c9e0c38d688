"""One total's figures for a period, from its hourly statistics rows.

As the Energy dashboard counts: what a total consumed in a period is the sum of its last
row in the period minus the sum of its last row before the period (0 when it has none).
The `sum` column runs on across a meter's resets and replacements, where its readings do
not: the consumption never comes from the readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .gaps import Gap, gaps


@dataclass(frozen=True, slots=True)
class HourRow:
    """One hourly statistics row of a total: its start, last reading and running sum."""

    start_ts: float
    state: float | None
    sum: float | None


@dataclass(frozen=True, slots=True)
class Figures:
    """A total's period: readings at its start and end, consumption, hours without data.

    `reading_start` is the reading at the end of the hour before the period, None when
    that hour has no row; `reading_end` and `consumption` are None when no hour of the
    period has one.
    """

    reading_start: float | None
    reading_end: float | None
    consumption: float | None
    gaps: tuple[Gap, ...]


def period_figures(
    rows: Sequence[HourRow], sum_before: float, start: datetime, end: datetime
) -> Figures:
    """The figures of one total from `start` to `end`.

    `rows` are the total's rows from the hour before `start` until `end`, in order;
    `sum_before` is the sum of its last row before the first of them (0 when none).
    """
    start_ts, end_ts = start.timestamp(), end.timestamp()
    before = [row for row in rows if row.start_ts < start_ts and row.sum is not None]
    inside = [row for row in rows if start_ts <= row.start_ts < end_ts]
    with_sum = [row for row in inside if row.sum is not None]
    base = before[-1] if before else None
    base_sum = base.sum if base is not None and base.sum is not None else sum_before
    last = with_sum[-1] if with_sum else None
    return Figures(
        reading_start=base.state if base is not None else None,
        reading_end=last.state if last is not None else None,
        consumption=last.sum - base_sum if last is not None and last.sum is not None else None,
        gaps=gaps((row.start_ts for row in inside), start, end),
    )
