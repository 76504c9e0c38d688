"""The bounds of a period report, from the dates or times a user gives."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

HOUR = timedelta(hours=1)


class PeriodProblem(StrEnum):
    """Why a period cannot be reported (a translation key of the action's errors)."""

    END_BEFORE_START = "period_end_before_start"
    IN_FUTURE = "period_in_future"
    NOT_ON_THE_HOUR = "period_not_on_the_hour"


class PeriodError(ValueError):
    """A period that cannot be reported."""

    def __init__(self, problem: PeriodProblem) -> None:
        """A period with `problem`."""
        super().__init__(problem.value)
        self.problem = problem


def period_bounds(
    start: date | datetime, end: date | datetime, time_zone: tzinfo, now: datetime
) -> tuple[datetime, datetime]:
    """The period's start and end as aware times, the end no later than the last whole hour.

    A date starts at its midnight; an end date counts its whole day (the period ends at the
    next midnight). A time without a zone is the home's. Long-term statistics are hourly,
    so a time must be on the hour. An end after the last whole hour before `now` is cut
    there: the hours after it have no statistics yet.
    """
    first = _moment(start, time_zone, end_of_day=False)
    last = _moment(end, time_zone, end_of_day=True)
    if last <= first:
        raise PeriodError(PeriodProblem.END_BEFORE_START)
    last_whole_hour = now.replace(minute=0, second=0, microsecond=0)
    if first >= last_whole_hour:
        raise PeriodError(PeriodProblem.IN_FUTURE)
    return first, min(last, last_whole_hour)


def _moment(value: date | datetime, time_zone: tzinfo, *, end_of_day: bool) -> datetime:
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=time_zone)
        if (moment.minute, moment.second, moment.microsecond) != (0, 0, 0):
            raise PeriodError(PeriodProblem.NOT_ON_THE_HOUR)
        return moment
    day = value + timedelta(days=1) if end_of_day else value
    return datetime.combine(day, time(), time_zone)
