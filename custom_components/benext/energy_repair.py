"""The fix of the Energy dashboard offer: show what is added, then add it."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import probatio

from .domain.dashboard.merge import EnergyPlan
from .domain.dashboard.sources import SourceKind
from .energy_dashboard import async_add_to_energy_dashboard, async_energy_plan
from .energy_issue import DATA_ENTRY_ID, async_update_energy_issue
from .runtime import BeNextConfigEntry

# Where nothing of a kind is added: the same in every language.
NOTHING = "—"


def source_names(hass: HomeAssistant, plan: EnergyPlan) -> dict[str, str]:
    """The names of the statistics to add, per kind of source, as the user knows them."""

    def name(entity_id: str) -> str:
        state = hass.states.get(entity_id)
        return state.name if state is not None else entity_id

    return {
        kind.value: ", ".join(name(s) for s in plan.added_of(kind)) or NOTHING
        for kind in SourceKind
    }


class EnergyDashboardRepairFlow(RepairsFlow):
    """Confirm the sources to add, listed by name; add them once confirmed."""

    def __init__(self, data: dict[str, Any]) -> None:
        """Add the meters of the installation the issue names."""
        self._entry_id = str(data.get(DATA_ENTRY_ID, ""))

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Start with the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """List what is added; add it once confirmed."""
        entry: BeNextConfigEntry | None = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="installation_not_loaded")
        if user_input is not None:
            await async_add_to_energy_dashboard(self.hass, entry)
            await async_update_energy_issue(self.hass, entry)
            return self.async_create_entry(data={})
        plan = await async_energy_plan(self.hass, entry)
        if plan.is_empty:
            await async_update_energy_issue(self.hass, entry)
            return self.async_abort(reason="nothing_to_add")
        return self.async_show_form(
            step_id="confirm",
            data_schema=probatio.Schema({}),
            description_placeholders={
                "installation": entry.title,
                **source_names(self.hass, plan),
            },
        )
