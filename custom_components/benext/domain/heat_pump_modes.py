"""An Inepro 4PS on a heat pump: its tariff input tells which mode the heat pump runs in."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class HeatPumpMode(StrEnum):
    """What a heat pump spends its electricity on while a tariff is active."""

    SPACE_HEATING = "space_heating"
    HOT_WATER = "hot_water"
    COOLING = "cooling"
    OTHER = "other"


# The heat pump switches the meter to tariff 2 while it heats tap water; tariff 1 is
# space heating. Tariffs 3 and 4 are free for whatever an installer wires to them.
DEFAULT_TARIFF_MODES: tuple[HeatPumpMode, ...] = (
    HeatPumpMode.SPACE_HEATING,
    HeatPumpMode.HOT_WATER,
    HeatPumpMode.OTHER,
    HeatPumpMode.OTHER,
)


def tariff_modes(stored: Sequence[str] | None) -> tuple[HeatPumpMode, ...]:
    """The mode of each tariff T1..T4, from the meter's settings or the default."""
    if stored is None or len(stored) != len(DEFAULT_TARIFF_MODES):
        return DEFAULT_TARIFF_MODES
    return tuple(HeatPumpMode(mode) for mode in stored)


def mode_of_tariff(modes: Sequence[HeatPumpMode], tariff: float | None) -> HeatPumpMode | None:
    """The mode of the active tariff word (1..4); None for any other value."""
    if tariff is None or tariff != int(tariff) or not 1 <= tariff <= len(modes):
        return None
    return modes[int(tariff) - 1]
