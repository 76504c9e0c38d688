"""The offer to add an installation's meters to the Energy dashboard, as a repair issue.

Raised while the meters offer something the dashboard lacks; gone once everything is
there. Its id names what the meters offer, so an offer the user ignored stays ignored
until new meters offer something new.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import hashlib
from typing import Final

from homeassistant.components.energy.data import async_get_manager
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_time_interval

from .const import DOMAIN
from .domain.dashboard.merge import plan_additions
from .energy_dashboard import installation_energy_sources
from .runtime import BeNextConfigEntry

# Every such issue's id starts with this, then the entry id and the offer's digest.
ENERGY_ISSUE: Final = "energy_dashboard_"
TRANSLATION_KEY: Final = "energy_dashboard"
DATA_ENTRY_ID: Final = "entry_id"
# Meters whose entities appear later (a wM-Bus meter's first telegram) are offered then.
CHECK_INTERVAL: Final = timedelta(minutes=5)
# The energy manager's listeners cannot be removed: one, for every installation.
LISTENING: Final = f"{DOMAIN}_energy_listening"


def energy_issue_prefix(entry_id: str) -> str:
    """The start of the ids of one installation's offers."""
    return f"{ENERGY_ISSUE}{entry_id}_"


async def async_update_energy_issue(hass: HomeAssistant, entry: BeNextConfigEntry) -> None:
    """Offer what the dashboard lacks of the installation's meters; withdraw any other offer."""
    sources = installation_energy_sources(entry)
    manager = await async_get_manager(hass)
    plan = plan_additions(sources, manager.data)
    issue_id = None
    if not plan.is_empty:
        offered = "\n".join(sorted(statistic_id for _, statistic_id in sources.by_kind()))
        digest = hashlib.sha256(offered.encode()).hexdigest()[:12]
        issue_id = energy_issue_prefix(entry.entry_id) + digest
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=TRANSLATION_KEY,
            translation_placeholders={"installation": entry.title},
            data={DATA_ENTRY_ID: entry.entry_id},
        )
    async_delete_energy_issues(hass, entry.entry_id, keep=issue_id)


@callback
def async_delete_energy_issues(hass: HomeAssistant, entry_id: str, keep: str | None = None) -> None:
    """Withdraw the installation's offers, but `keep`."""
    prefix = energy_issue_prefix(entry_id)
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.startswith(prefix) and issue_id != keep:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


@callback
def async_track_energy_offer(hass: HomeAssistant, entry: BeNextConfigEntry) -> CALLBACK_TYPE:
    """Keep the offer current: soon, as the preferences change, and every few minutes.

    The first look runs beside the set-up, which does not wait for the energy preferences
    to load.
    """
    entry.async_create_task(hass, _async_first_look(hass, entry), f"{DOMAIN} energy offer")

    async def check(_: datetime) -> None:
        await async_update_energy_issue(hass, entry)

    return async_track_time_interval(
        hass, check, CHECK_INTERVAL, name=f"{DOMAIN} energy offer", cancel_on_shutdown=True
    )


async def _async_first_look(hass: HomeAssistant, entry: BeNextConfigEntry) -> None:
    """The offer now, and a listener to the preferences for every installation, once."""
    if not hass.data.get(LISTENING):
        hass.data[LISTENING] = True
        manager = await async_get_manager(hass)

        async def preferences_changed() -> None:
            for loaded in hass.config_entries.async_loaded_entries(DOMAIN):
                await async_update_energy_issue(hass, loaded)

        manager.async_listen_updates(preferences_changed)
    await async_update_energy_issue(hass, entry)
