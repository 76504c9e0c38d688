"""The dates and date-times meters put in wmbusmeters' text fields.

wmbusmeters prints dates as "YYYY-MM-DD" and date-times as "YYYY-MM-DD HH:MM", in the
meter's own (local) time. Some drivers print a date as a UTC timestamp (2.0.0's fhkvdataiii
`current_date`: "2020-02-08T02:00:00Z"; 3.0.0 prints "2020-02-08"), and an M-Bus "no date"
comes out as an impossible date ("2127-15-31", the all-ones pattern) or "".
"""

from __future__ import annotations

from datetime import date, datetime
import re

# M-Bus's all-ones year (127, printed as 2127): "every year" or "no date", never a year.
ALL_ONES_YEAR = 2127

# A date, optionally followed by the time of a timestamp (which is not read).
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?")
DATE_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")


def meter_date(text: str) -> date | None:
    """The calendar date a meter's date text gives, or None when it is no real date."""
    match = DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if year == ALL_ONES_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def meter_datetime(text: str) -> datetime | None:
    """A meter's date-time text as a naive datetime in the meter's local time, or None.

    "2000-01-01 00:00" (what an Axioma meter reports when it never had an error) is a real
    date-time here; whether it means "never" is up to the caller.
    """
    match = DATE_TIME.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    if year == ALL_ONES_YEAR:
        return None
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
