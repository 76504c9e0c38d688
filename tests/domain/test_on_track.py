"""On track for NOM and for the EPV budget."""

from __future__ import annotations

from datetime import date

import pytest

from custom_components.benext.domain.energy.on_track import (
    PV_MONTHLY_SHARE_PERCENT,
    epv_on_track,
    nom_on_track,
    projected_nom_balance,
    pv_year_share,
    year_share,
)


def test_shares_of_the_year() -> None:
    """The PV shares sum to a year; by 31 December all of it has passed."""
    assert sum(PV_MONTHLY_SHARE_PERCENT) == pytest.approx(100)
    assert year_share(date(2026, 12, 31)) == pytest.approx(1)
    assert pv_year_share(date(2026, 12, 31)) == pytest.approx(1)
    assert pv_year_share(date(2026, 1, 31)) == pytest.approx(0.025)
    assert year_share(date(2028, 12, 31)) == pytest.approx(1)  # a leap year


def test_a_nom_home_in_winter_is_on_track() -> None:
    """By 31 March a NOM home imported 1200 and exported 800 kWh: net +400, yet on track.

    Projected: 1200 / (90 / 365) = 4867 kWh imported; 15 % of the year's sun has shone,
    800 / 0.15 = 5333 kWh exported: -467 kWh, on track. Had it exported 300 kWh
    (2000 kWh projected), it would be off track.
    """
    day = date(2026, 3, 31)
    assert projected_nom_balance(1200, 800, day) == pytest.approx(1200 / (90 / 365) - 800 / 0.15)
    assert nom_on_track(1200, 800, day)
    assert not nom_on_track(1200, 300, day)


def test_epv_on_track_for_the_date() -> None:
    """A 2500 kWh budget: by 1 July (182 days) 1246.6 kWh is the budget's share."""
    day = date(2026, 7, 1)
    assert epv_on_track(1200, 2500, day)
    assert not epv_on_track(1300, 2500, day)
