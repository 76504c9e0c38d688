"""An installation's meters in the Energy dashboard: what they offer, and adding it.

Through Home Assistant's energy preferences manager: the sources are appended to what the
user configured, never replacing or repeating any (`domain/dashboard/merge.py`).
"""

from __future__ import annotations

from typing import Any, cast

from homeassistant.components.energy.data import EnergyPreferencesUpdate, async_get_manager
from homeassistant.core import HomeAssistant

from .domain.dashboard.merge import EnergyPlan, merged, plan_additions
from .domain.dashboard.sources import EnergySources, SourceKind
from .meter_buses import loaded_meters
from .runtime import BeNextConfigEntry


def installation_energy_sources(entry: BeNextConfigEntry) -> EnergySources:
    """What the loaded installation's meters offer, each bus naming its own statistics."""
    sources = EnergySources()
    for subentry, meter_bus, _coordinator in loaded_meters(entry):
        sources += meter_bus.energy_sources(entry, subentry)
    return sources


async def async_energy_plan(hass: HomeAssistant, entry: BeNextConfigEntry) -> EnergyPlan:
    """What adding the installation's meters would add to the preferences now."""
    manager = await async_get_manager(hass)
    return plan_additions(installation_energy_sources(entry), manager.data)


async def async_add_to_energy_dashboard(
    hass: HomeAssistant, entry: BeNextConfigEntry
) -> EnergyPlan:
    """Add what the preferences lack of the installation's meters; what was added and skipped."""
    manager = await async_get_manager(hass)
    plan = plan_additions(installation_energy_sources(entry), manager.data)
    if not plan.is_empty:
        await manager.async_update(cast("EnergyPreferencesUpdate", merged(manager.data, plan)))
    return plan


def plan_response(plan: EnergyPlan) -> dict[str, Any]:
    """The statistics added and skipped, by the kind of source (the action's response)."""
    return {
        outcome: {
            kind.value: [p.statistic_id for p in planned if p.kind is kind]
            for kind in SourceKind
            if any(p.kind is kind for p in planned)
        }
        for outcome, planned in (("added", plan.added), ("skipped", plan.skipped))
    }
