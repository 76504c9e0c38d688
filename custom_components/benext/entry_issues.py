"""Repair issues an installation raised earlier, forgotten when it starts afresh."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN


@callback
def async_forget_entry_issues(hass: HomeAssistant, entry: ConfigEntry, prefix: str) -> None:
    """Delete the installation's issues whose id starts with `prefix`."""
    registry = ir.async_get(hass)
    for domain, issue_id in list(registry.issues):
        if domain != DOMAIN or not issue_id.startswith(prefix):
            continue
        issue = registry.issues[(domain, issue_id)]
        if issue.data is not None and issue.data.get("entry_id") == entry.entry_id:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
