"""Keep glitches away from an energy total: only plausible, non-decreasing readings pass."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

# Far above what a home's kWh meter can count (3 x 80 A at 230 V is 55 kW).
MAX_KWH_PER_HOUR = 200.0
# A rise this much too fast is believed once it has been read this many times in a row,
# each time rising plausibly from the one before (a counter that was set, not a glitch).
SPIKE_CONFIRMATIONS = 3


class Rejection(StrEnum):
    """Why a reading of a total was not shown; the values are diagnostics counter names."""

    NEGATIVE = "negative"
    DROP = "drop"
    SPIKE = "spike"


class TotalGuard:
    """The last good value of one total, and the test each new reading must pass.

    A total may never go down: a 0 after a non-zero value, a drop, or a negative value
    is a glitch of the meter or the line. A rise faster than any home meter can count
    is held back until the next readings confirm it.
    """

    def __init__(
        self,
        last: float | None = None,
        last_at: datetime | None = None,
        max_rise_per_hour: float = MAX_KWH_PER_HOUR,
    ) -> None:
        """Start from a restored last good value, if there is one.

        `max_rise_per_hour` is in the total's own unit: a total counted in Wh rises a
        thousand times faster than one in kWh.
        """
        self.last = last
        self.last_at = last_at
        self.max_rise_per_hour = max_rise_per_hour
        self._pending: list[tuple[float, datetime]] = []

    def check(self, value: float, at: datetime) -> Rejection | None:
        """Accept `value` (it becomes the last good one) or say why it is rejected."""
        if (refusal := self.refusal(value)) is not None:
            return refusal
        if (
            self.last is not None
            and self.last_at is not None
            and not self._plausible_rise(self.last, self.last_at, value, at)
        ):
            return self._hold_spike(value, at)
        self._accept(value, at)
        return None

    def refusal(self, value: float) -> Rejection | None:
        """Why `value` can never pass, whatever time it was read: negative, or a drop."""
        if value < 0:
            return Rejection.NEGATIVE
        if self.last is not None and value < self.last:
            return Rejection.DROP
        return None

    def reset(self) -> None:
        """Forget the last value: the meter was replaced and counts from its own total."""
        self.last = None
        self.last_at = None
        self._pending.clear()

    def _hold_spike(self, value: float, at: datetime) -> Rejection | None:
        if self._pending and not self._plausible_rise(*self._pending[-1], value, at):
            self._pending.clear()
        self._pending.append((value, at))
        if len(self._pending) < SPIKE_CONFIRMATIONS:
            return Rejection.SPIKE
        self._accept(value, at)
        return None

    def _accept(self, value: float, at: datetime) -> None:
        self.last = value
        self.last_at = at
        self._pending.clear()

    def _plausible_rise(self, last: float, last_at: datetime, value: float, at: datetime) -> bool:
        if value < last:
            return False
        hours = max((at - last_at).total_seconds(), 0.0) / 3600
        # A minute's slack covers clocks and the first reading after a restart.
        return value - last <= self.max_rise_per_hour * (hours + 1 / 60)


class MeterTotals:
    """The guards of one meter's totals, and the serial number of the meter that counted them.

    A meter with another serial number is a replaced meter: its totals start afresh.
    """

    def __init__(self) -> None:
        """Start with no total known."""
        self.serial: str | None = None
        self._guards: dict[str, TotalGuard] = {}

    def last(self, key: str) -> float | None:
        """A total's last good value, if there is one."""
        guard = self._guards.get(key)
        return guard.last if guard is not None else None

    def restore(self, key: str, value: float, serial: str | None, max_rise_per_hour: float) -> None:
        """A total's last good value from before a restart: the floor for what follows.

        A value that a since-replaced meter counted sets no floor.
        """
        if serial is not None and self.serial is not None and serial != self.serial:
            return
        self.serial = self.serial or serial
        guard = self._guard(key, max_rise_per_hour)
        if guard.last is None or value > guard.last:
            guard.last = value

    def check(
        self,
        totals: Mapping[str, tuple[float, float]],
        at: datetime,
        serial: str | None,
        *,
        whole: bool,
    ) -> dict[str, Rejection]:
        """Check a reading's totals (each with its maximum rise per hour); the refused ones.

        With `whole`, the reading stands or falls as one: a total that can never pass
        refuses it before any other total moves.
        """
        if serial is not None and serial != self.serial:
            if self.serial is not None:
                self._guards.clear()
            self.serial = serial
        guards = {key: self._guard(key, limit) for key, (_, limit) in totals.items()}
        refused = {
            key: refusal
            for key, (value, _) in totals.items()
            if (refusal := guards[key].refusal(value)) is not None
        }
        if whole and refused:
            return refused
        for key, (value, _) in totals.items():
            if key not in refused and (rejection := guards[key].check(value, at)) is not None:
                refused[key] = rejection
                if whole:
                    break
        return refused

    def _guard(self, key: str, max_rise_per_hour: float) -> TotalGuard:
        if (guard := self._guards.get(key)) is None:
            guard = self._guards[key] = TotalGuard(max_rise_per_hour=max_rise_per_hour)
        return guard
