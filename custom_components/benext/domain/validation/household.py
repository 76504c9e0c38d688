"""The household's own consumption: what the home used apart from its building installations."""

from __future__ import annotations

from typing import Final

# Below this many kWh a negative household consumption is the meters' rounding (0.01 kWh a
# kWh meter, read at slightly different moments), not a fault.
HOUSEHOLD_CONSUMPTION_TOLERANCE_KWH: Final = 0.1


def household_consumption(
    *,
    grid_import: float,
    grid_export: float,
    pv_production: float = 0.0,
    heat_pump: float = 0.0,
    ventilation: float = 0.0,
    auxiliary: float = 0.0,
) -> float:
    """Grid import - grid export + PV production - heat pump - ventilation - auxiliary.

    All in kWh over the same period; `auxiliary` is the sum of the auxiliary
    (building-related) meters.
    """
    return grid_import - grid_export + pv_production - heat_pump - ventilation - auxiliary


def is_negative(consumption: float) -> bool:
    """Whether a household consumption is below zero beyond the meters' rounding."""
    return consumption < -HOUSEHOLD_CONSUMPTION_TOLERANCE_KWH
