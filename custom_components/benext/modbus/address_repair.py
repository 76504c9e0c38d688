"""The fix of a kWh meter silent at its address: the address where the bus scan found it."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.helpers import issue_registry as ir
import probatio

from ..const import CONF_ADDRESS, DOMAIN, SUBENTRY_KWH_METER
from ..domain.roles import MODBUS_ADDRESS_MAX, MODBUS_ADDRESS_MIN
from ..validation_issues import DATA_ENTRY_ID, issue_meters
from .subentry import async_kwh_meter_title, taken_addresses

# The placeholder of the modbus_address_wrong finding that carries the address found.
FOUND_ADDRESS = "found_address"


class ModbusAddressRepairFlow(RepairsFlow):
    """Confirm the address found; the meter is read there from the reload on."""

    def __init__(self, data: dict[str, Any]) -> None:
        """Fix the meter the issue names."""
        self._entry_id = str(data.get(DATA_ENTRY_ID, ""))
        self._subentry_id = next(iter(issue_meters(data)), "")
        found = str(data.get(FOUND_ADDRESS, ""))
        self._found = int(found) if found.isdecimal() else None

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Start with the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Show the meter's address and the one found; store the found one once confirmed."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        subentry = self._meter(entry)
        found = self._found
        if entry is None or subentry is None:
            return self.async_abort(reason="meter_gone")
        if found is None or not MODBUS_ADDRESS_MIN <= found <= MODBUS_ADDRESS_MAX:
            return self.async_abort(reason="address_unknown")
        if found in taken_addresses(entry, excluding=subentry):
            return self.async_abort(reason="address_taken")
        if user_input is not None:
            data = {**subentry.data, CONF_ADDRESS: found}
            title = subentry.title
            # A title the flow made names the address; one the installer chose stays.
            if title == await async_kwh_meter_title(self.hass, dict(subentry.data)):
                title = await async_kwh_meter_title(self.hass, data)
            # The installation reloads: its update listener sees the meter's new data.
            self.hass.config_entries.async_update_subentry(entry, subentry, data=data, title=title)
            ir.async_delete_issue(self.hass, DOMAIN, self.issue_id)
            return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="confirm",
            data_schema=probatio.Schema({}),
            description_placeholders={
                "meter": subentry.title,
                "address": str(subentry.data.get(CONF_ADDRESS, "")),
                FOUND_ADDRESS: str(found),
            },
        )

    def _meter(self, entry: ConfigEntry | None) -> ConfigSubentry | None:
        """The kWh meter, or None when the installation or the meter is gone."""
        subentry = entry.subentries.get(self._subentry_id) if entry is not None else None
        if subentry is None or subentry.subentry_type != SUBENTRY_KWH_METER:
            return None
        return subentry
