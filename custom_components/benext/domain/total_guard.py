"""Keep glitches away from an energy total: only plausible, non-decreasing readings pass."""

from __future__ import annotations

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

    def __init__(self, last: float | None = None, last_at: datetime | None = None) -> None:
        """Start from a restored last good value, if there is one."""
        self.last = last
        self.last_at = last_at
        self._pending: list[tuple[float, datetime]] = []

    def check(self, value: float, at: datetime) -> Rejection | None:
        """Accept `value` (it becomes the last good one) or say why it is rejected."""
        if (refusal := self.refusal(value)) is not None:
            return refusal
        if (
            self.last is not None
            and self.last_at is not None
            and not _plausible_rise(self.last, self.last_at, value, at)
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
        if self._pending and not _plausible_rise(*self._pending[-1], value, at):
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


def _plausible_rise(last: float, last_at: datetime, value: float, at: datetime) -> bool:
    if value < last:
        return False
    hours = max((at - last_at).total_seconds(), 0.0) / 3600
    # A minute's slack covers clocks and the first reading after a restart.
    return value - last <= MAX_KWH_PER_HOUR * (hours + 1 / 60)
