"""Which changed values are written now.

A meter that sends every second must not flood the recorder with totals that move by
a watt-hour.
"""

from __future__ import annotations

from collections.abc import Hashable


class WriteLimiter:
    """Lets a value through when it changed and its key's minimum interval has passed.

    A held-back change is written by the first telegram after the interval, so a value
    is never more than its interval behind the meter while telegrams keep coming.
    """

    def __init__(self) -> None:
        """Start with nothing written."""
        self._written: dict[Hashable, tuple[object, float]] = {}

    def due(self, key: Hashable, value: object, now: float, min_interval: float) -> bool:
        """Whether `value` is written now; if so it becomes the key's written value."""
        last = self._written.get(key)
        if last is not None:
            last_value, last_at = last
            if value == last_value or now - last_at < min_interval:
                return False
        self._written[key] = (value, now)
        return True

    def forget(self) -> None:
        """Write every value again at the next chance (after the link came back)."""
        self._written.clear()
