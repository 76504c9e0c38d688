"""Subentry flow of the smart meter: add it again on the installation's P1 port."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations

from ..bus.connection import Bus, configured_buses
from ..const import DOMAIN, SUBENTRY_SMART_METER
from .meter_steps import P1MeterSteps
from .settings import P1MeterSettings


class P1MeterSubentryFlow(ConfigSubentryFlow):
    """Add the smart meter on the installation's P1 port."""

    def __init__(self) -> None:
        """Start with no meter heard."""
        self._meter = P1MeterSteps(
            self,
            meter_step_id="meter",
            tasmota_meter_step_id="tasmota_meter",
            async_restart=self.async_step_user,
            async_confirmed=self._async_create_meter,
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Listen to the P1 port for the meter's first telegram."""
        entry = self._get_entry()
        connection = configured_buses(entry.data).get(Bus.P1)
        if connection is None:
            return self.async_abort(reason="p1_not_configured")
        if any(s.subentry_type == SUBENTRY_SMART_METER for s in entry.subentries.values()):
            return self.async_abort(reason="smart_meter_exists")
        if (error := await self._meter.async_listen(connection)) is not None:
            return self.async_abort(reason=error)
        return await self._meter.async_show_heard()

    async def async_step_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Show what was found and let the user confirm or override the variant."""
        return await self._meter.async_step_meter(user_input)

    async def async_step_tasmota_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Show the smart meter whose values the Tasmota reader sends."""
        return await self._meter.async_step_tasmota_meter(user_input)

    async def _async_create_meter(self, settings: P1MeterSettings) -> SubentryFlowResult:
        return self.async_create_entry(
            title=await async_p1_meter_title(self.hass),
            data=settings.as_data(),
            unique_id=settings.serial,
        )


async def async_p1_meter_title(hass: HomeAssistant) -> str:
    """The smart meter's title, in the user's language, with its bus."""
    translations = await async_get_translations(
        hass, hass.config.language, "config_subentries", [DOMAIN]
    )
    name = translations.get(
        f"component.{DOMAIN}.config_subentries.{SUBENTRY_SMART_METER}.entry_type", "Smart meter"
    )
    return f"{name} · P1"
