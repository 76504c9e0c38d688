"""The guard of an energy total: no glitch, drop or zero reaches the Energy dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.benext.domain.total_guard import MeterTotals, Rejection, TotalGuard

START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def test_rising_readings_pass() -> None:
    guard = TotalGuard()
    assert guard.check(1000.0, _at(0)) is None
    assert guard.check(1000.0, _at(30)) is None
    assert guard.check(1000.2, _at(60)) is None
    assert guard.last == 1000.2


def test_a_zero_a_drop_or_a_negative_value_is_rejected_and_the_last_stays() -> None:
    guard = TotalGuard()
    guard.check(1000.0, _at(0))
    assert guard.check(0.0, _at(30)) is Rejection.DROP
    assert guard.check(999.9, _at(60)) is Rejection.DROP
    assert guard.check(-1.0, _at(90)) is Rejection.NEGATIVE
    assert guard.last == 1000.0
    assert guard.check(1000.1, _at(120)) is None


def test_a_spike_is_held_back() -> None:
    """A rise no home meter can count in 30 s, and back: the spike never shows."""
    guard = TotalGuard()
    guard.check(1000.0, _at(0))
    assert guard.check(1_000_000.0, _at(30)) is Rejection.SPIKE
    assert guard.check(1000.1, _at(60)) is None
    assert guard.last == 1000.1


def test_a_jump_is_never_believed_by_repetition_alone() -> None:
    """The same impossible level read again and again is held for the user, not shown."""
    guard = TotalGuard()
    guard.check(1000.0, _at(0))
    for n in range(10):
        assert guard.check(5000.0 + n / 10, _at(30 * (n + 1))) is Rejection.SPIKE
    assert guard.last == 1000.0
    assert guard.held == 5000.9
    # The user accepts it (the meter was replaced or reset): it is the floor from now on.
    assert guard.accept_held(_at(400)) == 5000.9
    assert guard.check(5001.0, _at(430)) is None
    assert guard.held is None


def test_unconfirmed_jumps_start_over() -> None:
    guard = TotalGuard()
    guard.check(1000.0, _at(0))
    assert guard.check(5000.0, _at(30)) is Rejection.SPIKE
    assert guard.check(90000.0, _at(60)) is Rejection.SPIKE
    assert guard.check(90000.1, _at(90)) is Rejection.SPIKE
    assert guard.last == 1000.0
    assert guard.held is None


def test_a_restored_value_without_a_time_lets_any_rise_pass() -> None:
    """Stored without its time (an older release), only a drop is impossible."""
    guard = TotalGuard(last=1000.0)
    assert guard.check(0.0, _at(0)) is Rejection.DROP
    assert guard.check(1500.0, _at(0)) is None


def test_a_restored_value_with_its_time_bounds_the_first_rise() -> None:
    """A restored total carries when it was good: a restart does not open the door to a spike."""
    guard = TotalGuard(last=1000.0, last_at=_at(0))
    assert guard.check(1_000_000.0, _at(600)) is Rejection.SPIKE
    # Ten minutes of a 3x80A connection is about 9 kWh, plus a minute's slack.
    assert guard.check(1009.0, _at(600)) is None


def test_sentinels_are_never_totals() -> None:
    """NaN, infinity and float32's largest value are a meter's "no value", not a reading."""
    guard = TotalGuard()
    guard.check(1000.0, _at(0))
    for value in (float("nan"), float("inf"), 3.4028234663852886e38):
        assert guard.check(value, _at(30)) is Rejection.INVALID
    assert guard.last == 1000.0


def test_a_replaced_meter_counts_from_its_own_total() -> None:
    guard = TotalGuard()
    guard.check(1000.0, _at(0))
    guard.reset()
    assert guard.check(3.5, _at(30)) is None
    assert guard.last == 3.5


def test_a_total_in_small_units_may_rise_faster() -> None:
    """A heat meter counting in Wh rises a thousand times faster than one in kWh."""
    guard = TotalGuard(max_rise_per_hour=200_000.0)
    assert guard.check(1_000_000.0, _at(0)) is None
    assert guard.check(1_150_000.0, _at(3600)) is None
    assert guard.check(2_000_000.0, _at(3660)) is Rejection.SPIKE


def test_meter_totals_refuse_only_the_bad_total() -> None:
    """On a bus whose readings are checked total by total, a good total still moves."""
    totals = MeterTotals()
    assert (
        totals.check({"import": (10.0, 200.0), "export": (5.0, 200.0)}, _at(0), "A", whole=False)
        == {}
    )
    refused = totals.check(
        {"import": (9.0, 200.0), "export": (6.0, 200.0)}, _at(30), "A", whole=False
    )
    assert refused == {"import": Rejection.DROP}
    assert (totals.last("import"), totals.last("export")) == (10.0, 6.0)


def test_meter_totals_refuse_a_whole_reading_before_any_total_moves() -> None:
    """A P1 telegram stands or falls as one: a drop in one total moves no other."""
    totals = MeterTotals()
    totals.check({"t1": (10.0, 200.0), "t2": (5.0, 200.0)}, _at(0), "E1", whole=True)
    refused = totals.check({"t1": (11.0, 200.0), "t2": (4.0, 200.0)}, _at(10), "E1", whole=True)
    assert refused == {"t2": Rejection.DROP}
    assert totals.last("t1") == 10.0
    # A spike is held back too, and stops the reading there.
    refused = totals.check({"t1": (900.0, 200.0), "t2": (6.0, 200.0)}, _at(20), "E1", whole=True)
    assert refused == {"t1": Rejection.SPIKE}
    assert totals.last("t2") == 5.0


def test_meter_totals_start_afresh_for_a_replaced_meter() -> None:
    """Another serial number is another meter: its lower total is no drop."""
    totals = MeterTotals()
    totals.restore("import", 5000.0, "OLD", 200.0, None)
    assert totals.check({"import": (4999.0, 200.0)}, _at(0), "OLD", whole=False) == {
        "import": Rejection.DROP
    }
    assert totals.check({"import": (12.0, 200.0)}, _at(30), "NEW", whole=False) == {}
    # The old meter's value restored later sets no floor for the new one.
    totals.restore("import", 5000.0, "OLD", 200.0, None)
    assert totals.last("import") == 12.0


def test_a_restored_total_is_only_ever_a_floor() -> None:
    """A restored value below what the meter already counted changes nothing."""
    totals = MeterTotals()
    totals.check({"import": (100.0, 200.0)}, _at(0), None, whole=False)
    totals.restore("import", 90.0, None, 200.0, None)
    assert totals.last("import") == 100.0
    totals.restore("import", 110.0, None, 200.0, None)
    assert totals.last("import") == 110.0
