"""The installation flow's steps for a wM-Bus meter that an installation heard but has not."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, ConfigSubentry
from homeassistant.helpers.selector import TextSelector
import probatio

from ..bus.wmbus.drivers import driver_info
from ..const import CONF_KEY, CONF_METER_ID, CONF_ROLE, SUBENTRY_WMBUS_METER
from ..domain.roles import Role
from ..domain.wmbus_roles import roles_for_meter_kind
from .flow import (
    async_wmbus_meter_title,
    discovery_unique_id,
    role_selector,
    taken_meter_ids,
)
from .settings import WmbusMeterSettings, normalize_key


class WmbusDiscoverySteps(ConfigFlow):
    """Offer a meter heard by an installation, and add it there as a subentry.

    The flow's unique id is the meter's, so it is offered once, and an ignored meter
    stays ignored.
    """

    def __init__(self) -> None:
        """Start with no meter found."""
        super().__init__()
        self._discovered: dict[str, Any] = {}

    async def async_step_integration_discovery(
        self, discovery_info: dict[str, Any]
    ) -> ConfigFlowResult:
        """A wM-Bus meter that no subentry claims was heard by an installation."""
        meter_id = discovery_info[CONF_METER_ID]
        await self.async_set_unique_id(discovery_unique_id(meter_id))
        self._abort_if_unique_id_configured()
        entry = self.hass.config_entries.async_get_entry(discovery_info["entry_id"])
        if entry is None or meter_id in taken_meter_ids(entry):
            return self.async_abort(reason="already_configured")
        self._discovered = discovery_info
        self.context["title_placeholders"] = {"meter_id": meter_id}
        return await self.async_step_wmbus_discovered()

    async def async_step_wmbus_discovered_posted(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add the meter, whose telegrams wmbusmeters posted, to the installation."""
        return await self.async_step_wmbus_discovered(user_input)

    async def async_step_wmbus_discovered(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add the meter heard to the installation that heard it."""
        found = self._discovered
        entry = self.hass.config_entries.async_get_entry(found["entry_id"])
        if entry is None:
            return self.async_abort(reason="already_configured")
        info = driver_info(found["driver"])
        roles = roles_for_meter_kind(info.kind.value)
        errors: dict[str, str] = {}
        if user_input is not None:
            key = normalize_key(user_input.get(CONF_KEY))
            if key is None:
                errors[CONF_KEY] = "invalid_key_format"
            else:
                settings = WmbusMeterSettings(
                    meter_id=found[CONF_METER_ID],
                    driver=found["driver"],
                    key=key or None,
                    role=Role(user_input[CONF_ROLE]),
                )
                self.hass.config_entries.async_add_subentry(
                    entry,
                    ConfigSubentry(
                        data=MappingProxyType(settings.as_data()),
                        subentry_type=SUBENTRY_WMBUS_METER,
                        title=await async_wmbus_meter_title(
                            self.hass, settings.role, settings.meter_id
                        ),
                        unique_id=settings.meter_id,
                    ),
                )
                return self.async_abort(reason="wmbus_meter_added")
        rssi = found.get("rssi_dbm")
        heard_by_radio = isinstance(rssi, int | float)
        return self.async_show_form(
            # Posted over HTTP, a telegram carries no signal strength: a wording without it.
            step_id="wmbus_discovered" if heard_by_radio else "wmbus_discovered_posted",
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_ROLE, default=roles[0].value): role_selector(roles),
                    probatio.Optional(CONF_KEY, default=""): TextSelector(),
                }
            ),
            description_placeholders={
                "meter_id": found[CONF_METER_ID],
                "product": " ".join(p for p in (info.manufacturer, info.model) if p)
                or found["driver"],
                **({"rssi": f"{rssi:.0f}"} if heard_by_radio else {}),
                "installation": entry.title,
            },
            errors=errors,
        )
