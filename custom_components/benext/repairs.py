"""Repairs: a held total, two swapped roles, the Energy dashboard offer, each bus's own."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant

from .coordinator import HELD_TOTAL_ISSUE
from .energy_issue import ENERGY_ISSUE
from .energy_repair import EnergyDashboardRepairFlow
from .held_total_repair import HeldTotalRepairFlow
from .meter_buses import METER_BUSES
from .role_swap_repair import role_swap_flow


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The flow that fixes an issue: its bus's, or a confirmation for an issue of none."""
    if issue_id.startswith(HELD_TOTAL_ISSUE):
        return HeldTotalRepairFlow(issue_id, data or {})
    if issue_id.startswith(ENERGY_ISSUE):
        return EnergyDashboardRepairFlow(data or {})
    if (swap := role_swap_flow(data or {})) is not None:
        return swap
    for meter_bus in METER_BUSES.values():
        if (flow := meter_bus.fix_flow(issue_id, data or {})) is not None:
            return flow
    return ConfirmRepairFlow()
