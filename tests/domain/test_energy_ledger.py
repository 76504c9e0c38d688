"""The derived energy ledger: household and building totals from the meters' increments."""

from __future__ import annotations

import pytest

from custom_components.benext.domain.energy.ledger import Ledger, Term

TERMS = {
    "import": Term.GRID_IMPORT,
    "export": Term.GRID_EXPORT,
    "pv": Term.PV,
    "heat_pump": Term.HEAT_PUMP,
    "ventilation": Term.VENTILATION,
}
START = {"import": 100.0, "export": 50.0, "pv": 200.0, "heat_pump": 30.0, "ventilation": 10.0}


def started() -> Ledger:
    ledger = Ledger(year=2026)
    assert not ledger.count(START, TERMS)  # the first values are where counting starts
    return ledger


def test_household_and_building_worked_by_hand() -> None:
    """Imported 3, exported 1, produced 4, heat pump 2, ventilation 0.5 kWh."""
    ledger = started()

    assert ledger.count(
        {"import": 103.0, "export": 51.0, "pv": 204.0, "heat_pump": 32.0, "ventilation": 10.5},
        TERMS,
    )

    # 3 - 1 + 4 - 2 - 0.5
    assert ledger.household_shown == pytest.approx(3.5)
    assert ledger.building == pytest.approx(2.5)
    assert ledger.nom_balance == pytest.approx(2.0)
    assert ledger.year_household_shown == pytest.approx(3.5)


def test_a_dip_is_never_shown() -> None:
    """The heat pump's meter is read before the grid's import follows: the sum dips."""
    ledger = started()
    ledger.count({**START, "heat_pump": 31.0}, TERMS)
    assert ledger.household == pytest.approx(-1.0)
    assert ledger.household_shown == 0.0

    ledger.count({**START, "heat_pump": 31.0, "import": 101.5}, TERMS)
    assert ledger.household_shown == pytest.approx(0.5)


def test_a_missing_input_pauses_and_its_gap_counts_once_complete() -> None:
    """The ventilation meter is missing while the others count: nothing moves, nothing drops."""
    ledger = started()

    assert not ledger.count({**START, "ventilation": None, "import": 102.0}, TERMS)
    assert ledger.household_shown == 0.0
    assert not ledger.count({**START, "import": 102.0}, TERMS | {"aux": Term.AUXILIARY})

    ledger = started()
    ledger.count({**START, "ventilation": None, "import": 102.0}, TERMS)
    assert ledger.count({**START, "import": 102.0, "ventilation": 10.5}, TERMS)
    assert ledger.household_shown == pytest.approx(1.5)
    assert ledger.building == pytest.approx(0.5)


def test_a_meter_that_went_backwards_starts_the_count_afresh() -> None:
    """A replaced heat pump meter at 0 kWh counts nothing for that interval, then counts on."""
    ledger = started()

    assert not ledger.count({**START, "heat_pump": 0.0, "import": 101.0}, TERMS)
    assert ledger.building == 0.0
    assert ledger.count({**START, "heat_pump": 1.0, "import": 102.0}, TERMS)
    assert ledger.building == pytest.approx(1.0)
    assert ledger.household_shown == 0.0  # 1 imported, 1 for the heat pump


def test_a_new_year_starts_the_year_figures_at_zero() -> None:
    """The totals run on; the NOM balance and the EPV figures start again."""
    ledger = started()
    ledger.count({**START, "import": 110.0}, TERMS)

    assert ledger.start_year(2027)
    assert not ledger.start_year(2027)

    assert ledger.nom_balance == 0.0
    assert ledger.year_household_shown == 0.0
    assert ledger.household_shown == pytest.approx(10.0)
    assert Ledger.from_dict(ledger.as_dict()) == ledger
