"""A PV meter's production at night: only the hours wholly between sunset and sunrise count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.benext.domain.validation.night import Night, night_production

# A January night in the Netherlands, in UTC: sunset 15:45, sunrise 07:45 the next day.
NIGHT = Night(
    sunset=datetime(2026, 1, 5, 15, 45, tzinfo=UTC),
    sunrise=datetime(2026, 1, 6, 7, 45, tzinfo=UTC),
)
NEXT_NIGHT = Night(NIGHT.sunset + timedelta(days=1), NIGHT.sunrise + timedelta(days=1))


def hour(day: int, hour_of_day: int) -> datetime:
    """The start of an hour on a January day, in UTC."""
    return datetime(2026, 1, day, hour_of_day, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "counted"),
    [
        (hour(5, 16), True),  # the first whole hour after sunset
        (hour(6, 2), True),  # deep in the night
        (hour(6, 6), True),  # ends at 07:00, before sunrise
        (hour(5, 15), False),  # the sun sets within it
        (hour(6, 7), False),  # the sun rises within it
        (hour(6, 12), False),  # midday
        (hour(4, 23), False),  # the night before, which is not given
    ],
)
def test_an_hour_counts_only_when_wholly_in_the_night(start: datetime, counted: bool) -> None:
    """Daylight production in the hours of sunset and sunrise is no fault."""
    assert night_production([(start, 0.4)], [NIGHT]) == (0.4 if counted else 0.0)


def test_production_is_summed_over_every_night() -> None:
    """Hours of two nights add up; the day's production between them does not."""
    hourly = [
        (hour(5, 12), 3.0),
        (hour(6, 1), 0.25),
        (hour(6, 12), 3.0),
        (hour(7, 3), 0.5),
    ]

    assert night_production(hourly, [NIGHT, NEXT_NIGHT]) == 0.75


def test_no_nights_no_night_production() -> None:
    """Far north in summer the sun does not set: nothing is night production."""
    assert night_production([(hour(6, 2), 1.0)], []) == 0.0
