"""A period's bounds, one total's figures, and the report's CSV rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.benext.domain.period.bounds import (
    PeriodError,
    PeriodProblem,
    period_bounds,
)
from custom_components.benext.domain.period.figures import Figures, HourRow, period_figures
from custom_components.benext.domain.period.gaps import Gap
from custom_components.benext.domain.period.report import (
    CSV_HEADER,
    MeterReport,
    PeriodReport,
    TotalReport,
    csv_rows,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 2, 10, 14, 35, tzinfo=AMSTERDAM)
START = datetime(2026, 1, 1, tzinfo=AMSTERDAM)
HOUR = timedelta(hours=1)


def test_dates_count_whole_days_in_the_homes_time() -> None:
    """January: from its first midnight to February's."""
    assert period_bounds(date(2026, 1, 1), date(2026, 1, 31), AMSTERDAM, NOW) == (
        START,
        datetime(2026, 2, 1, tzinfo=AMSTERDAM),
    )


def test_times_without_a_zone_are_the_homes() -> None:
    """06:00 to 18:00 on one day, as the clock on the wall says."""
    first, last = period_bounds(datetime(2026, 1, 5, 6), datetime(2026, 1, 5, 18), AMSTERDAM, NOW)
    assert (first.isoformat(), last.isoformat()) == (
        "2026-01-05T06:00:00+01:00",
        "2026-01-05T18:00:00+01:00",
    )


def test_a_period_still_running_ends_at_the_last_whole_hour() -> None:
    """The year so far: its hours after 14:00 have no statistics yet."""
    assert period_bounds(date(2026, 1, 1), date(2026, 12, 31), AMSTERDAM, NOW)[1] == NOW.replace(
        minute=0
    )


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (date(2026, 1, 31), date(2026, 1, 1), PeriodProblem.END_BEFORE_START),
        (datetime(2026, 1, 5, 6), datetime(2026, 1, 5, 6), PeriodProblem.END_BEFORE_START),
        (date(2026, 3, 1), date(2026, 3, 31), PeriodProblem.IN_FUTURE),
        # Today from 14:00: the hour is not over.
        (datetime(2026, 2, 10, 14), date(2026, 2, 10), PeriodProblem.IN_FUTURE),
        (datetime(2026, 1, 5, 6, 30), date(2026, 1, 6), PeriodProblem.NOT_ON_THE_HOUR),
    ],
)
def test_periods_that_cannot_be_reported(
    start: date | datetime, end: date | datetime, problem: PeriodProblem
) -> None:
    """Each says why."""
    with pytest.raises(PeriodError) as err:
        period_bounds(start, end, AMSTERDAM, NOW)
    assert err.value.problem is problem


def row(n: int, state: float, total: float) -> HourRow:
    return HourRow((START + n * HOUR).timestamp(), state, total)


def test_consumption_is_the_sums_change_not_the_readings() -> None:
    """A meter replaced in the period reads less at its end; its sum ran on by 7."""
    rows = [row(-1, 500.0, 40.0), row(0, 502.0, 42.0), row(1, 3.0, 45.0), row(2, 7.0, 47.0)]

    assert period_figures(rows, 0.0, START, START + 3 * HOUR) == Figures(
        reading_start=500.0, reading_end=7.0, consumption=7.0, gaps=()
    )


def test_without_the_hour_before_the_start_the_sum_before_it_counts() -> None:
    """As the dashboard: the last sum before the period, however long ago it was."""
    rows = [row(1, 503.0, 43.0), row(2, 505.0, 45.0)]

    figures = period_figures(rows, 40.0, START, START + 3 * HOUR)

    assert figures == Figures(None, 505.0, 5.0, (Gap(START, START + HOUR),))


def test_a_period_without_rows_has_no_consumption() -> None:
    """Unknown, not zero: every hour is a gap."""
    figures = period_figures([row(-1, 500.0, 40.0)], 0.0, START, START + 2 * HOUR)

    assert (figures.reading_start, figures.reading_end, figures.consumption) == (500.0, None, None)
    assert figures.gaps == (Gap(START, START + 2 * HOUR),)


def test_csv_rows_one_per_total_with_gaps_as_intervals() -> None:
    """What a spreadsheet shows: figures rounded, unknown cells empty, gaps in local time."""
    end = START + 24 * HOUR
    report = PeriodReport(
        "Demo home",
        START,
        end,
        (
            MeterReport(
                "Heat pump",
                "heat_pump",
                (
                    TotalReport(
                        "sensor.heat_pump_import",
                        "Heat pump Import",
                        "kWh",
                        Figures(
                            1000.1,
                            1012.3,
                            12.200000000000045,
                            (Gap(START + HOUR, START + 3 * HOUR),),
                        ),
                    ),
                    TotalReport(
                        "sensor.heat_pump_export",
                        "Heat pump Export",
                        "kWh",
                        Figures(None, None, None, (Gap(START, end),)),
                    ),
                ),
            ),
        ),
    )

    header, first, second = csv_rows(report)

    assert header == CSV_HEADER
    assert dict(zip(header, first, strict=True)) == {
        "meter": "Heat pump",
        "role": "heat_pump",
        "sensor": "sensor.heat_pump_import",
        "name": "Heat pump Import",
        "unit": "kWh",
        "period_start": "2026-01-01T00:00+01:00",
        "period_end": "2026-01-02T00:00+01:00",
        "reading_start": "1000.1",
        "reading_end": "1012.3",
        "consumption": "12.2",
        "missing_hours": "2",
        "gaps": "2026-01-01T01:00+01:00/2026-01-01T03:00+01:00",
    }
    assert second[7:] == ("", "", "", "24", "2026-01-01T00:00+01:00/2026-01-02T00:00+01:00")
