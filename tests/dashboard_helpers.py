"""The Energy dashboard's settings as Home Assistant stores them, for the tests to expect."""

from __future__ import annotations

from typing import Any


def grid(imported: str | None, exported: str | None, **prices: Any) -> dict[str, Any]:
    """One grid connection, as the Energy dashboard's settings store it."""
    return {
        "type": "grid",
        "stat_energy_from": imported,
        "stat_energy_to": exported,
        "stat_cost": None,
        "entity_energy_price": None,
        "number_energy_price": None,
        "stat_compensation": None,
        "entity_energy_price_export": None,
        "number_energy_price_export": None,
        "cost_adjustment_day": 0.0,
    } | prices
