"""Dates and date-times in meters' text fields."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from custom_components.benext.bus.wmbus.dates import meter_date, meter_datetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-12-31", date(2018, 12, 31)),
        ("2020-02-08T02:00:00Z", date(2020, 2, 8)),  # fhkvdataiii in 2.0.0
        ("2020-02-08", date(2020, 2, 8)),  # the same in 3.0.0
        ("2020-02-08T02:00:00+01:00", date(2020, 2, 8)),
        ("2019-02-20 11:32", date(2019, 2, 20)),
        (" 2020-10-01\n", date(2020, 10, 1)),
        ("", None),
        ("2127-15-31", None),  # M-Bus "no date" (all ones)
        ("2127-12-31", None),  # year all ones: "every year", never 2127
        ("2019-02-30", None),
        ("0000-00-00", None),
        ("2020-02-08T", None),
        ("2020-2-8", None),
        ("20200208", None),
        ("2018-W01-1", None),
        ("garbage", None),
    ],
)
def test_meter_date(text: str, expected: date | None) -> None:
    """The calendar date the meter means; no date for patterns that are none."""
    assert meter_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-02-20 11:32", datetime(2019, 2, 20, 11, 32)),
        ("2000-01-01 00:00", datetime(2000, 1, 1)),  # Axioma: no error yet, still a date-time
        ("2021-05-31 23:59:30", datetime(2021, 5, 31, 23, 59, 30)),
        ("2021-05-31T23:59", datetime(2021, 5, 31, 23, 59)),
        ("2021-05-31 24:00", None),
        ("2127-15-31 00:00", None),
        ("2127-12-31 23:59", None),
        ("2021-05-31", None),
        ("", None),
        ("garbage", None),
    ],
)
def test_meter_datetime(text: str, expected: datetime | None) -> None:
    """A naive date-time in the meter's local time."""
    parsed = meter_datetime(text)
    assert parsed == expected
    assert parsed is None or parsed.tzinfo is None
