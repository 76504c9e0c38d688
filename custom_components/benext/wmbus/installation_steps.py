"""The installation flow's steps for wireless M-Bus: how wmbusmeters' telegrams arrive."""

from __future__ import annotations

import secrets
from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.helpers.selector import TextSelector
import probatio

from ..bus.connection import DEFAULT_WMBUS_RADIO, Bus, BusConnection, Transport
from ..connection_flow import BusInstallationSteps, SettingsForm
from ..const import CONF_RADIO, CONF_TOKEN
from .webhook import async_endpoint_url

WMBUS_MANAGED_SCHEMA = probatio.Schema(
    {probatio.Required(CONF_RADIO, default=DEFAULT_WMBUS_RADIO): TextSelector()}
)
# The token is suggested, not a default: the UI leaves out a field the user cleared, and
# a default would then come back.
WMBUS_HTTP_SCHEMA = probatio.Schema({probatio.Optional(CONF_TOKEN): TextSelector()})


def _managed_connection(
    bus: Bus, transport: Transport, user_input: dict[str, Any]
) -> BusConnection:
    return BusConnection(bus, transport, radio=user_input[CONF_RADIO].strip())


MANAGED_FORM = SettingsForm(
    "wmbus_managed", Bus.WMBUS, Transport.MANAGED, WMBUS_MANAGED_SCHEMA, _managed_connection
)


class WmbusInstallationSteps(BusInstallationSteps):
    """Choose how telegrams arrive: posted to the installation, or from its own wmbusmeters."""

    BUS = Bus.WMBUS

    def __init__(self) -> None:
        """Start with the endpoint a new wM-Bus bus gets."""
        super().__init__()
        self._webhook_id = webhook.async_generate_id()

    async def async_step_wmbus(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose how wireless M-Bus telegrams arrive."""
        settings_steps = {
            Transport.HTTP: self.async_step_wmbus_http,
            Transport.MANAGED: self.async_step_wmbus_managed,
        }
        return await self._async_transport_step(Bus.WMBUS, user_input, settings_steps)

    async def async_step_wmbus_managed(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The radio that the integration's own wmbusmeters listens with."""
        return await self._async_settings_step(MANAGED_FORM, user_input)

    async def async_step_wmbus_http(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The endpoint wmbusmeters posts to, and the token it must send, if any."""
        current = self._buses.get(Bus.WMBUS)
        webhook_id = (current.webhook_id if current else None) or self._webhook_id
        if user_input is not None:
            token = (user_input.get(CONF_TOKEN) or "").strip() or None
            return await self._async_bus_connected(
                BusConnection(Bus.WMBUS, Transport.HTTP, webhook_id=webhook_id, token=token)
            )
        # A new endpoint gets a fresh token; an existing one keeps its own, or none.
        if current is not None and current.transport is Transport.HTTP:
            token = current.token
        else:
            token = secrets.token_urlsafe(24)
        return self.async_show_form(
            step_id="wmbus_http",
            data_schema=self.add_suggested_values_to_schema(
                WMBUS_HTTP_SCHEMA, {CONF_TOKEN: token or ""}
            ),
            description_placeholders={"url": async_endpoint_url(self.hass, webhook_id)},
        )
