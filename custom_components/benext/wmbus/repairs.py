"""The fix of a wM-Bus meter whose key does not decrypt its telegrams: its new key."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.helpers.selector import TextSelector
import probatio

from ..const import CONF_KEY
from .settings import normalize_key


class WrongKeyRepairFlow(RepairsFlow):
    """Enter the key that decrypts a wM-Bus meter's telegrams."""

    def __init__(self, data: dict[str, Any]) -> None:
        """Fix the meter the issue names."""
        self._entry_id = data.get("entry_id")
        self._subentry_id = data.get("subentry_id")

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Start with the key."""
        return await self.async_step_key()

    async def async_step_key(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """The meter's new key; the installation reloads with it."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id or "")
        subentry = entry.subentries.get(self._subentry_id or "") if entry is not None else None
        if entry is None or subentry is None:
            return self.async_abort(reason="meter_gone")
        errors: dict[str, str] = {}
        if user_input is not None:
            key = normalize_key(user_input.get(CONF_KEY))
            if key is None:
                errors[CONF_KEY] = "invalid_key_format"
            else:
                self.hass.config_entries.async_update_subentry(
                    entry, subentry, data={**subentry.data, CONF_KEY: key or None}
                )
                return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="key",
            data_schema=probatio.Schema({probatio.Optional(CONF_KEY, default=""): TextSelector()}),
            description_placeholders={
                "meter": subentry.title,
                "meter_id": str(subentry.data.get("meter_id", "")),
            },
            errors=errors,
        )
