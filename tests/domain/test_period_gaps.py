"""The hours of a period without a statistics row, named as from-to ranges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import itertools
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st

from custom_components.benext.domain.period.gaps import Gap, gaps, missing_hours

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 1, tzinfo=AMSTERDAM)
HOUR = timedelta(hours=1)


def hour(n: int) -> datetime:
    return START + n * HOUR


def starts(*hours: int) -> list[float]:
    return [hour(n).timestamp() for n in hours]


def test_a_complete_period_has_no_gap() -> None:
    """Every hour has its row."""
    assert gaps(starts(*range(24)), hour(0), hour(24)) == ()


def test_missing_hours_are_named_as_ranges_in_the_homes_time() -> None:
    """Two runs: 03:00 to 05:00 and the last two hours of the day."""
    found = gaps(starts(0, 1, 2, 5, *range(6, 22)), hour(0), hour(24))

    assert found == (Gap(hour(3), hour(5)), Gap(hour(22), hour(24)))
    assert [gap.start.isoformat() for gap in found] == [
        "2026-03-01T03:00:00+01:00",
        "2026-03-01T22:00:00+01:00",
    ]
    assert missing_hours(found) == 4


def test_a_period_without_rows_is_one_gap() -> None:
    """A meter added after the period, or a recorder that was off."""
    assert gaps([], hour(0), hour(5)) == (Gap(hour(0), hour(5)),)


def test_rows_outside_the_period_do_not_count() -> None:
    """The hour before the start (the starting reading's) is not a period's hour."""
    assert gaps(starts(-1, 0, 2, 5), hour(0), hour(3)) == (Gap(hour(1), hour(2)),)


def test_a_gap_across_the_change_to_summer_time() -> None:
    """On 29 March 2026 02:00 becomes 03:00: a gap counts real hours."""
    day = datetime(2026, 3, 29, tzinfo=AMSTERDAM)
    before = (day + timedelta(hours=1)).timestamp()  # 01:00 CET
    after = (day.astimezone(UTC) + timedelta(hours=4)).timestamp()  # 05:00 CEST
    found = gaps(
        [before, after], day + timedelta(hours=1), datetime(2026, 3, 29, 6, tzinfo=AMSTERDAM)
    )

    assert len(found) == 1
    # 02:00 CET does not exist on the wall: the gap starts at 03:00 summer time.
    assert found[0].start.isoformat() == "2026-03-29T03:00:00+02:00"
    assert found[0].hours == 2


@given(present=st.sets(st.integers(min_value=0, max_value=71)), length=st.integers(1, 72))
def test_gaps_cover_exactly_the_missing_hours(present: set[int], length: int) -> None:
    """Sorted, separated by at least one present hour, and together just the missing ones."""
    found = gaps(starts(*present), hour(0), hour(length))

    covered = {n for gap in found for n in range(length) if gap.start <= hour(n) < gap.end}
    assert covered == set(range(length)) - present
    assert missing_hours(found) == len(covered)
    for earlier, later in itertools.pairwise(found):
        assert earlier.end < later.start
    assert all(gap.start < gap.end for gap in found)
