"""The installation flow's steps for the RS485 Modbus bus of the kWh meters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.helpers.selector import SerialPortSelector
import probatio

from ..bus.connection import (
    DEFAULT_MODBUS_BAUDRATE,
    DEFAULT_MODBUS_TCP_PORT,
    Bus,
    BusConnection,
    SerialSettings,
    Transport,
)
from ..connection_flow import (
    BusInstallationSteps,
    BusOption,
    SettingsForm,
    network_connection,
    network_schema,
    select,
)
from ..const import (
    CONF_BAUDRATE,
    CONF_BYTESIZE,
    CONF_DEVICE,
    CONF_MODBUS_FAILED_POLLS,
    CONF_MODBUS_POLL_INTERVAL,
    CONF_PARITY,
    CONF_STOPBITS,
    DEFAULT_MODBUS_FAILED_POLLS,
    DEFAULT_MODBUS_POLL_INTERVAL,
    MODBUS_FAILED_POLLS_MAX,
    MODBUS_FAILED_POLLS_MIN,
    MODBUS_POLL_INTERVAL_MAX,
    MODBUS_POLL_INTERVAL_MIN,
)

BAUDRATES = ["1200", "2400", "4800", "9600", "19200", "38400", "57600", "115200"]
MODBUS_SERIAL_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_DEVICE): SerialPortSelector(),
        probatio.Required(CONF_BAUDRATE, default=str(DEFAULT_MODBUS_BAUDRATE)): select(BAUDRATES),
        probatio.Required(CONF_PARITY, default="N"): select(["N", "E", "O"], "parity"),
        probatio.Required(CONF_STOPBITS, default="1"): select(["1", "2"]),
        probatio.Required(CONF_BYTESIZE, default="8"): select(["7", "8"]),
    }
)


def _serial_connection(bus: Bus, transport: Transport, user_input: dict[str, Any]) -> BusConnection:
    serial = SerialSettings(
        device=user_input[CONF_DEVICE],
        baudrate=int(user_input[CONF_BAUDRATE]),
        bytesize=int(user_input[CONF_BYTESIZE]),
        parity=user_input[CONF_PARITY],
        stopbits=int(user_input[CONF_STOPBITS]),
    )
    return BusConnection(bus, transport, serial=serial)


SERIAL_FORM = SettingsForm(
    "modbus_serial", Bus.MODBUS, Transport.RTU, MODBUS_SERIAL_SCHEMA, _serial_connection
)
# Modbus TCP by default; RTU over TCP when that transport was chosen.
NETWORK_FORM = SettingsForm(
    "modbus_network",
    Bus.MODBUS,
    Transport.TCP,
    network_schema(DEFAULT_MODBUS_TCP_PORT),
    network_connection,
)


class ModbusInstallationSteps(BusInstallationSteps):
    """Choose how the RS485 bus is reached: a USB-RS485 adapter or an Ethernet converter."""

    BUS = Bus.MODBUS
    OPTIONS = (
        BusOption(
            CONF_MODBUS_POLL_INTERVAL,
            DEFAULT_MODBUS_POLL_INTERVAL,
            MODBUS_POLL_INTERVAL_MIN,
            MODBUS_POLL_INTERVAL_MAX,
            "s",
        ),
        BusOption(
            CONF_MODBUS_FAILED_POLLS,
            DEFAULT_MODBUS_FAILED_POLLS,
            MODBUS_FAILED_POLLS_MIN,
            MODBUS_FAILED_POLLS_MAX,
            None,
        ),
    )

    async def async_step_modbus(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose how the RS485 Modbus bus of the kWh meters is reached."""
        settings_steps = {
            Transport.RTU: self.async_step_modbus_serial,
            Transport.TCP: self.async_step_modbus_network,
            Transport.RTU_OVER_TCP: self.async_step_modbus_network,
        }
        return await self._async_transport_step(Bus.MODBUS, user_input, settings_steps)

    async def async_step_modbus_serial(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The USB-RS485 adapter and the bus's line settings."""
        return await self._async_settings_step(SERIAL_FORM, user_input)

    async def async_step_modbus_network(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The RS485-Ethernet converter: Modbus TCP, or RTU over TCP."""
        transport = self._pending_transport or Transport.TCP
        return await self._async_settings_step(
            replace(NETWORK_FORM, transport=transport), user_input
        )
