"""Listen for the smart meter on a P1 port, show what it told, and let the installer confirm it.

The installation flow (when the P1 port is set up) and the smart meter subentry flow (when
the smart meter is added again later) each hold a `P1MeterSteps`, under their own step ids.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from homeassistant.data_entry_flow import FlowHandler, FlowResult
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
import probatio

from ..bus.connection import TASMOTA_TRANSPORTS, BusConnection
from ..bus.p1.probe import P1MeterFound, P1ProbeError, async_probe
from ..bus.p1.reading import P1Reading
from ..bus.p1.versions import VERSIONS, DsmrVersion
from ..const import CONF_DSMR_VERSION, CONF_KEY, LOGGER
from .settings import P1MeterSettings, settings_from_detected, settings_from_reading
from .tasmota_flow import (
    TASMOTA_METER_SCHEMA,
    async_find_tasmota_reading,
    tasmota_meter_placeholders,
)

KEY_LENGTH = 32


class P1MeterSteps[ResultT: FlowResult[Any, Any]]:
    """The meter heard on a P1 port, and the steps that show it to be confirmed.

    A DSMR meter's step shows the variant, maker, model and serial number its first
    telegram told, lets the installer confirm or override the variant, and asks the key of
    an encrypted meter. A Tasmota reader's step shows the meter its first JSON told.
    """

    def __init__(
        self,
        flow: FlowHandler[Any, ResultT, Any],
        *,
        meter_step_id: str,
        tasmota_meter_step_id: str,
        async_restart: Callable[[], Awaitable[ResultT]],
        async_confirmed: Callable[[P1MeterSettings], Awaitable[ResultT]],
    ) -> None:
        """Show the meter in the flow's steps; a confirmed meter goes to `async_confirmed`.

        `async_restart` is the flow's step to go back to when no meter has been heard.
        """
        self._flow = flow
        self._meter_step_id = meter_step_id
        self._tasmota_meter_step_id = tasmota_meter_step_id
        self._async_restart = async_restart
        self._async_confirmed = async_confirmed
        self._port: BusConnection | None = None
        self._probed: P1MeterFound | None = None
        self._tasmota_reading: P1Reading | None = None

    @property
    def connection(self) -> BusConnection:
        """The port as the meter was heard on it, with the line settings of its telegrams."""
        if self._port is None:
            raise RuntimeError("no meter has been heard")
        if self._probed is None:
            return self._port
        return connection_on_line(self._port, self._probed)

    async def async_listen(self, connection: BusConnection) -> str | None:
        """Listen on the port for the meter: None once it was heard, else the error key."""
        if connection.transport in TASMOTA_TRANSPORTS:
            # A reader that answers is not enough: its JSON must carry meter values.
            reading, error = await async_find_tasmota_reading(self._flow.hass, connection)
            if reading is None:
                return error or "no_telegram"
            self._port, self._probed, self._tasmota_reading = connection, None, reading
            return None
        # Reaching the port is not enough: listen for the meter's first telegram.
        probed, error = await async_find_meter(connection)
        if probed is None:
            return error or "no_telegram"
        self._port, self._probed, self._tasmota_reading = connection, probed, None
        return None

    async def async_show_heard(self) -> ResultT:
        """The step that shows the meter heard."""
        if self._tasmota_reading is not None:
            return await self.async_step_tasmota_meter()
        return await self.async_step_meter()

    async def async_step_meter(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Show what the first telegram told; confirm or override the variant."""
        if self._probed is None or self._port is None:
            return await self._async_restart()
        errors: dict[str, str] = {}
        if user_input is not None:
            settings, error = await async_confirm_meter(self._port, self._probed, user_input)
            if settings is not None:
                return await self._async_confirmed(settings)
            errors["base"] = error or "invalid_key"
        return self._flow.async_show_form(
            step_id=self._meter_step_id,
            data_schema=meter_schema(self._probed),
            description_placeholders=meter_placeholders(self._probed),
            errors=errors,
        )

    async def async_step_tasmota_meter(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Show the smart meter whose values the Tasmota reader sends."""
        if self._tasmota_reading is None:
            return await self._async_restart()
        if user_input is not None:
            return await self._async_confirmed(settings_from_reading(self._tasmota_reading))
        return self._flow.async_show_form(
            step_id=self._tasmota_meter_step_id,
            data_schema=TASMOTA_METER_SCHEMA,
            description_placeholders=tasmota_meter_placeholders(self._tasmota_reading),
        )


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
