"""The fix of a total that jumped to a level its meter cannot have counted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN


class HeldTotalRepairFlow(RepairsFlow):
    """Accept the new level (the meter was replaced or reset), or keep ignoring it."""

    def __init__(self, issue_id: str, data: dict[str, Any]) -> None:
        """Fix the total the issue names."""
        self._issue_id = issue_id
        self._entry_id = str(data.get("entry_id", ""))
        self._subentry_id = str(data.get("subentry_id", ""))
        self._key = str(data.get("key", ""))

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Choose what to do with the new level."""
        return self.async_show_menu(step_id="init", menu_options=["accept", "ignore"])

    async def async_step_accept(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Take the new level as the total from now on."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        runtime = getattr(entry, "runtime_data", None) if entry is not None else None
        if runtime is None:
            return self.async_abort(reason="meter_gone")
        if any(
            coordinator.async_accept_held_total(self._subentry_id, self._key)
            for coordinator in runtime.buses.values()
        ):
            return self.async_create_entry(data={})
        return self.async_abort(reason="meter_gone")

    async def async_step_ignore(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Keep the last good total; the issue is set aside."""
        ir.async_ignore_issue(self.hass, DOMAIN, self._issue_id, ignore=True)
        return self.async_abort(reason="ignored")
