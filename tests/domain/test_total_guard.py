"""The guard of an energy total: no glitch, drop or zero reaches the Energy dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.benext.domain.total_guard import Rejection, TotalGuard

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


def test_a_jump_confirmed_by_the_next_readings_is_believed() -> None:
    guard = TotalGuard()
    guard.check(1000.0, _at(0))
    assert guard.check(5000.0, _at(30)) is Rejection.SPIKE
    assert guard.check(5000.1, _at(60)) is Rejection.SPIKE
    assert guard.check(5000.2, _at(90)) is None
    assert guard.last == 5000.2


def test_unconfirmed_jumps_start_over() -> None:
    guard = TotalGuard()
    guard.check(1000.0, _at(0))
    assert guard.check(5000.0, _at(30)) is Rejection.SPIKE
    assert guard.check(90000.0, _at(60)) is Rejection.SPIKE
    assert guard.check(90000.1, _at(90)) is Rejection.SPIKE
    assert guard.last == 1000.0


def test_a_restored_value_has_no_time_so_any_rise_passes() -> None:
    """After a restart the downtime is unknown; only a drop is impossible."""
    guard = TotalGuard(last=1000.0)
    assert guard.check(0.0, _at(0)) is Rejection.DROP
    assert guard.check(1500.0, _at(0)) is None


def test_a_replaced_meter_counts_from_its_own_total() -> None:
    guard = TotalGuard()
    guard.check(1000.0, _at(0))
    guard.reset()
    assert guard.check(3.5, _at(30)) is None
    assert guard.last == 3.5
