"""Find the smart meter on the P1 port, and let the user confirm what was found.

Used by the installation's flow (when the P1 port is set up) and by the smart meter
subentry flow (when the smart meter is added again later).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from homeassistant.config_entries import (
    ConfigSubentryData,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.helpers.translation import async_get_translations
import probatio

from ..bus.connection import TASMOTA_TRANSPORTS, Bus, BusConnection, configured_buses
from ..bus.p1.probe import P1MeterFound, P1ProbeError, async_probe
from ..bus.p1.reading import P1Reading
from ..bus.p1.versions import VERSIONS, DsmrVersion
from ..const import CONF_DSMR_VERSION, CONF_KEY, DOMAIN, LOGGER, SUBENTRY_SMART_METER
from .settings import (
    P1MeterSettings,
    settings_from_detected,
    settings_from_reading,
)
from .tasmota_flow import (
    TASMOTA_METER_SCHEMA,
    async_find_tasmota_reading,
    tasmota_meter_placeholders,
)

KEY_LENGTH = 32


async def async_find_meter(
    connection: BusConnection, key: str | None = None
) -> tuple[P1MeterFound | None, str | None]:
    """The meter on the port, or the flow's error key."""
    try:
        return await async_probe(connection, key), None
    except P1ProbeError as err:
        LOGGER.debug("No smart meter found on the P1 port: %s", err)
        return None, err.failure.value


def connection_on_line(connection: BusConnection, probed: P1MeterFound) -> BusConnection:
    """The connection with the serial line settings the meter was heard on."""
    if connection.serial is None or probed.line is None:
        return connection
    serial = replace(
        connection.serial,
        baudrate=probed.line.baudrate,
        bytesize=probed.line.bytesize,
        parity=probed.line.parity,
    )
    return replace(connection, serial=serial)


def meter_schema(probed: P1MeterFound) -> probatio.Schema:
    """Confirm the variant (pre-selected as detected) and give the key of an encrypted meter."""
    meter = probed.meter
    versions = [v.value for v in DsmrVersion if not meter.encrypted or VERSIONS[v].encrypted]
    fields: dict[Any, Any] = {
        probatio.Required(
            CONF_DSMR_VERSION, default=(meter.version or DsmrVersion(versions[0])).value
        ): SelectSelector(
            SelectSelectorConfig(
                options=versions,
                mode=SelectSelectorMode.DROPDOWN,
                translation_key="dsmr_version",
            )
        )
    }
    if meter.encrypted:
        fields[probatio.Required(CONF_KEY)] = TextSelector()
    return probatio.Schema(fields)


def meter_placeholders(probed: P1MeterFound) -> dict[str, str]:
    """What the first telegram told: maker, model, serial number and variant."""
    meter = probed.meter
    return {
        "manufacturer": meter.manufacturer or "?",
        "model": meter.model or "?",
        "serial": meter.serial or "?",
        "version": meter.version.value if meter.version else "?",
    }


async def async_confirm_meter(
    connection: BusConnection, probed: P1MeterFound, user_input: dict[str, Any]
) -> tuple[P1MeterSettings | None, str | None]:
    """The settings of the confirmed meter, or an error key (a wrong or malformed key)."""
    version = DsmrVersion(user_input[CONF_DSMR_VERSION])
    key: str | None = None
    if probed.meter.encrypted:
        key = str(user_input.get(CONF_KEY, "")).strip().upper()
        if len(key) != KEY_LENGTH or any(c not in "0123456789ABCDEF" for c in key):
            return None, "invalid_key_format"
        found, error = await async_find_meter(connection, key)
        if found is None or found.meter.version is None:
            return None, error if error not in (None, "no_telegram") else "invalid_key"
        probed = found
    return settings_from_detected(probed.meter, version, key), None


def p1_meter_subentry(settings: P1MeterSettings, title: str) -> ConfigSubentryData:
    """A smart meter subentry, as the installation's flow creates it."""
    return {
        "subentry_type": SUBENTRY_SMART_METER,
        "data": settings.as_data(),
        "title": title,
        "unique_id": settings.serial,
    }


class P1MeterSubentryFlow(ConfigSubentryFlow):
    """Add the smart meter on the installation's P1 port."""

    def __init__(self) -> None:
        """Start with no meter found."""
        self._probed: P1MeterFound | None = None
        self._tasmota_reading: P1Reading | None = None
        self._connection: BusConnection | None = None

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Listen to the P1 port for the meter's first telegram."""
        entry = self._get_entry()
        connection = configured_buses(entry.data).get(Bus.P1)
        if connection is None:
            return self.async_abort(reason="p1_not_configured")
        if any(s.subentry_type == SUBENTRY_SMART_METER for s in entry.subentries.values()):
            return self.async_abort(reason="smart_meter_exists")
        if connection.transport in TASMOTA_TRANSPORTS:
            reading, error = await async_find_tasmota_reading(self.hass, connection)
            if reading is None:
                return self.async_abort(reason=error or "no_telegram")
            self._tasmota_reading = reading
            return await self.async_step_tasmota_meter()
        probed, error = await async_find_meter(connection)
        if probed is None:
            return self.async_abort(reason=error or "no_telegram")
        self._probed, self._connection = probed, connection
        return await self.async_step_meter()

    async def async_step_tasmota_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Show the smart meter whose values the Tasmota reader sends."""
        if self._tasmota_reading is None:
            return await self.async_step_user()
        if user_input is not None:
            settings = settings_from_reading(self._tasmota_reading)
            return self.async_create_entry(
                title=await async_p1_meter_title(self.hass),
                data=settings.as_data(),
                unique_id=settings.serial,
            )
        return self.async_show_form(
            step_id="tasmota_meter",
            data_schema=TASMOTA_METER_SCHEMA,
            description_placeholders=tasmota_meter_placeholders(self._tasmota_reading),
        )

    async def async_step_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Show what was found and let the user confirm or override the variant."""
        if self._probed is None or self._connection is None:
            return await self.async_step_user()
        errors: dict[str, str] = {}
        if user_input is not None:
            settings, error = await async_confirm_meter(self._connection, self._probed, user_input)
            if settings is not None:
                return self.async_create_entry(
                    title=await async_p1_meter_title(self.hass),
                    data=settings.as_data(),
                    unique_id=settings.serial,
                )
            errors["base"] = error or "invalid_key"
        return self.async_show_form(
            step_id="meter",
            data_schema=meter_schema(self._probed),
            description_placeholders=meter_placeholders(self._probed),
            errors=errors,
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
