"""Keep glitches away from a total: only plausible, non-decreasing readings pass.

Rates are measured on Home Assistant's receipt times, never on a meter's own clock. A
rise beyond what the meter can physically count, or a drop, is never believed by
repetition alone: once the same new level has been read a few times in a row it is
*held*, for the user to accept (a replaced or reset meter) or to keep ignoring.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
import math

from .physical_bounds import KWH_METER_MAX_KW

# A kWh total's default bound: what a home's 3x80A connection can count in an hour.
MAX_KWH_PER_HOUR = KWH_METER_MAX_KW
# Readings in a row at a new level (each plausible from the one before) after which the
# level is held for the user to decide on.
HOLD_CONFIRMATIONS = 3
# The largest float32: Inepro and Eastron meters send it (and its neighbours) for "no value".
FLOAT32_MAX = 3.4028234663852886e38


class Rejection(StrEnum):
    """Why a reading of a total was not shown; the values are diagnostics counter names."""

    INVALID = "invalid"
    NEGATIVE = "negative"
    DROP = "drop"
    SPIKE = "spike"


def is_sentinel(value: float) -> bool:
    """Whether a number is a meter's "no value" marker rather than a reading."""
    return not math.isfinite(value) or abs(value) >= FLOAT32_MAX * 0.999


class TotalGuard:
    """The last good value of one total, and the test each new reading must pass."""

    __slots__ = ("_pending", "held", "last", "last_at", "max_rise_per_hour")

    def __init__(
        self,
        last: float | None = None,
        last_at: datetime | None = None,
        max_rise_per_hour: float = MAX_KWH_PER_HOUR,
    ) -> None:
        """Start from a restored last good value (and when it was good), if there is one.

        `max_rise_per_hour` is in the total's own unit: a total counted in Wh rises a
        thousand times faster than one in kWh.
        """
        self.last = last
        self.last_at = last_at
        self.max_rise_per_hour = max_rise_per_hour
        # A new level read HOLD_CONFIRMATIONS times in a row, waiting for the user.
        self.held: float | None = None
        self._pending: list[tuple[float, datetime]] = []

    def verdict(self, value: float, at: datetime) -> Rejection | None:
        """Why `value`, received at `at`, cannot be shown; None when it can. Changes nothing."""
        if is_sentinel(value):
            return Rejection.INVALID
        if value < 0:
            return Rejection.NEGATIVE
        if self.last is None:
            return None
        if value < self.last:
            return Rejection.DROP
        if self.last_at is not None and not self._plausible_rise(
            self.last, self.last_at, value, at
        ):
            return Rejection.SPIKE
        return None

    def check(self, value: float, at: datetime) -> Rejection | None:
        """Accept `value` (it becomes the last good one) or say why it is rejected."""
        if (rejection := self.verdict(value, at)) is not None:
            self.refuse(value, at, rejection)
            return rejection
        self.accept(value, at)
        return None

    def accept(self, value: float, at: datetime) -> None:
        """`value` is good: it is the floor from now on, and nothing is held any more."""
        self.last = value
        self.last_at = at
        self.held = None
        self._pending.clear()

    def refuse(self, value: float, at: datetime, rejection: Rejection) -> None:
        """Note a refused reading: the same new level read often enough is held."""
        if rejection in (Rejection.INVALID, Rejection.NEGATIVE):
            return
        if self._pending and not self._plausible_rise(*self._pending[-1], value, at):
            self._pending.clear()
        self._pending.append((value, at))
        if len(self._pending) >= HOLD_CONFIRMATIONS:
            self.held = value

    def accept_held(self, at: datetime) -> float | None:
        """The user accepts the held level (a replaced or reset meter): the new floor."""
        held = self.held
        if held is not None:
            self.accept(held, at)
        return held

    def reset(self) -> None:
        """Forget the last value: the meter was replaced and counts from its own total."""
        self.last = None
        self.last_at = None
        self.held = None
        self._pending.clear()

    def _plausible_rise(self, last: float, last_at: datetime, value: float, at: datetime) -> bool:
        if value < last:
            return False
        hours = max((at - last_at).total_seconds(), 0.0) / 3600
        # A minute's slack covers the time between a reading and its receipt.
        return value - last <= self.max_rise_per_hour * (hours + 1 / 60)


class MeterTotals:
    """The guards of one meter's totals, and the serial number of the meter that counted them.

    A meter with another serial number is a replaced meter: its totals start afresh.
    """

    __slots__ = ("guards", "serial")

    def __init__(self) -> None:
        """Start with no total known."""
        self.serial: str | None = None
        self.guards: dict[str, TotalGuard] = {}

    def last(self, key: str) -> float | None:
        """A total's last good value, if there is one."""
        guard = self.guards.get(key)
        return guard.last if guard is not None else None

    def restore(
        self,
        key: str,
        value: float,
        serial: str | None,
        max_rise_per_hour: float,
        good_at: datetime | None,
    ) -> None:
        """A total's last good value from before a restart, and when it was good: the floor.

        A value that a since-replaced meter counted sets no floor.
        """
        if serial is not None and self.serial is not None and serial != self.serial:
            return
        self.serial = self.serial or serial
        guard = self.guard(key, max_rise_per_hour)
        if guard.last is None or value > guard.last:
            guard.last = value
            guard.last_at = good_at

    def check(
        self,
        totals: Mapping[str, tuple[float, float]],
        at: datetime,
        serial: str | None,
        *,
        whole: bool,
    ) -> dict[str, Rejection]:
        """Check a reading's totals (each with its maximum rise per hour); the refused ones.

        With `whole`, the reading stands or falls as one: one refused total moves none.
        """
        if serial is not None and serial != self.serial:
            if self.serial is not None:
                self.guards.clear()
            self.serial = serial
        guards = {key: self.guard(key, limit) for key, (_, limit) in totals.items()}
        refused = {
            key: rejection
            for key, (value, _) in totals.items()
            if (rejection := guards[key].verdict(value, at)) is not None
        }
        for key, (value, _) in totals.items():
            if key in refused:
                guards[key].refuse(value, at, refused[key])
            elif not (whole and refused):
                guards[key].accept(value, at)
        return refused

    def guard(self, key: str, max_rise_per_hour: float) -> TotalGuard:
        """The guard of one total, made on first use."""
        if (guard := self.guards.get(key)) is None:
            guard = self.guards[key] = TotalGuard(max_rise_per_hour=max_rise_per_hour)
        return guard
