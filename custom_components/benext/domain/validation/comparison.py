"""When one amount is significantly higher than another.

The manual expects some amounts to be significantly higher than others (the heat pump's
than the ventilation's, PV production than the PV meter's own use, the space heating's
volume than the hot tap water's) but gives no number, and counts heat pump 50 kWh against
ventilation 40 kWh as valid while 30 kWh against 300 kWh are swapped meters. So an
expected order only fails when the data reverses it clearly: when the amount expected to be
the lower one is at least SIGNIFICANT_FACTOR times the other.
"""

from __future__ import annotations

from typing import Final

# Our choice: twice as much is a reversal no meter tolerance or odd week explains.
SIGNIFICANT_FACTOR: Final = 2.0


def significantly_higher(amount: float, other: float) -> bool:
    """Whether `amount` is at least SIGNIFICANT_FACTOR times `other` (and above 0)."""
    return amount > 0 and amount >= SIGNIFICANT_FACTOR * other
