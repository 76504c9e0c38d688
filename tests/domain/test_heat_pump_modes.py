"""The Inepro 4PS on a heat pump: tariff to heat pump mode."""

from __future__ import annotations

from custom_components.benext.domain.heat_pump_modes import (
    DEFAULT_TARIFF_MODES,
    HeatPumpMode,
    mode_of_tariff,
    tariff_modes,
)


def test_default_mapping_and_stored_mapping() -> None:
    assert tariff_modes(None) == DEFAULT_TARIFF_MODES
    assert tariff_modes(["hot_water"]) == DEFAULT_TARIFF_MODES
    stored = ["hot_water", "space_heating", "cooling", "other"]
    assert tariff_modes(stored) == tuple(HeatPumpMode(mode) for mode in stored)


def test_mode_of_the_active_tariff_word() -> None:
    assert mode_of_tariff(DEFAULT_TARIFF_MODES, 1) is HeatPumpMode.SPACE_HEATING
    assert mode_of_tariff(DEFAULT_TARIFF_MODES, 2.0) is HeatPumpMode.HOT_WATER
    for unknown in (None, 0, 5, 1.5, -1):
        assert mode_of_tariff(DEFAULT_TARIFF_MODES, unknown) is None
