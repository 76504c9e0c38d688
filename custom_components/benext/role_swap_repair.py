"""The fix of two meters whose roles were swapped: each takes the other's role.

The manual's "digital swap". The meters keep their subentries, so their entity ids,
unique ids and history stay; their titles (and so their devices' and entities' names)
follow the new roles.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntry, ConfigEntryState, ConfigSubentry
from homeassistant.helpers import issue_registry as ir
import probatio

from .const import CONF_ROLE, DOMAIN
from .domain.roles import Role
from .domain.validation.findings import FindingCode
from .domain.validation.swaps import SWAP_PAIRS
from .validation_issues import DATA_ENTRY_ID, DATA_FINDING, issue_meters
from .validation_wording import Wording, async_wording

# The roles of a swapped pair's meters as the finding names them: first, then second.
SWAPPED_ROLES: Final = {pair.code: (pair.higher, pair.lower) for pair in SWAP_PAIRS}


def role_swap_flow(data: dict[str, Any]) -> RoleSwapRepairFlow | None:
    """The swap of the two meters a validation issue names; None for another issue."""
    code = data.get(DATA_FINDING)
    if code not in SWAPPED_ROLES:
        return None
    return RoleSwapRepairFlow(data, SWAPPED_ROLES[FindingCode(code)])


def retitled(title: str, role: Role, new_role: Role, wording: Wording) -> str:
    """A meter's title naming its new role where it named its old one; else unchanged."""
    for old, new in ((wording.role(role), wording.role(new_role)), (role.value, new_role.value)):
        if old in title:
            return title.replace(old, new, 1)
    return title


class RoleSwapRepairFlow(RepairsFlow):
    """Confirm, then give each of the two meters the other's role, with one reload."""

    def __init__(self, data: dict[str, Any], roles: tuple[Role, Role]) -> None:
        """Swap the meters the issue names, which hold these roles now."""
        self._entry_id = str(data.get(DATA_ENTRY_ID, ""))
        self._meter_ids = issue_meters(data)
        self._roles = roles

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Start with the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Show both meters and their new roles; swap them once confirmed."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        meters = self._meters(entry)
        if entry is None or meters is None:
            return self.async_abort(reason="meter_gone")
        if tuple(meter.data.get(CONF_ROLE) for meter in meters) != self._roles:
            return self.async_abort(reason="roles_changed")
        wording = await async_wording(self.hass)
        if user_input is not None:
            await self._async_swap(entry, meters, wording)
            ir.async_delete_issue(self.hass, DOMAIN, self.issue_id)
            return self.async_create_entry(data={})
        first, second = meters
        return self.async_show_form(
            step_id="confirm",
            data_schema=probatio.Schema({}),
            description_placeholders={
                "meter": first.title,
                "role": wording.role(self._roles[0]),
                "other_meter": second.title,
                "other_role": wording.role(self._roles[1]),
            },
        )

    def _meters(self, entry: ConfigEntry | None) -> tuple[ConfigSubentry, ConfigSubentry] | None:
        """The two meters, or None when the installation or either meter is gone."""
        if entry is None or len(self._meter_ids) != len(self._roles):
            return None
        first, second = (entry.subentries.get(meter_id) for meter_id in self._meter_ids)
        if first is None or second is None:
            return None
        return first, second

    async def _async_swap(
        self,
        entry: ConfigEntry,
        meters: tuple[ConfigSubentry, ConfigSubentry],
        wording: Wording,
    ) -> None:
        """Each meter takes the other's role; the installation reloads once."""
        first, second = meters
        changes = (
            (first, self._roles[0], self._roles[1]),
            (second, self._roles[1], self._roles[0]),
        )
        manager = self.hass.config_entries
        # Changed while unloaded, the meters do not reload the installation one by one
        # (its update listener goes with it).
        loaded = entry.state is ConfigEntryState.LOADED
        if loaded:
            await manager.async_unload(entry.entry_id)
        for subentry, role, new_role in changes:
            manager.async_update_subentry(
                entry,
                subentry,
                data={**subentry.data, CONF_ROLE: new_role.value},
                title=retitled(subentry.title, role, new_role, wording),
            )
        if loaded and entry.state is ConfigEntryState.NOT_LOADED:
            await manager.async_setup(entry.entry_id)
