"""Config flow of a BeNext installation: its name and how each bus is reached."""

from __future__ import annotations

import secrets
from types import MappingProxyType
from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlowResult,
    ConfigSubentry,
    ConfigSubentryData,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    SerialPortSelector,
    TextSelector,
)
import probatio

from .bus.connection import (
    DEFAULT_MODBUS_BAUDRATE,
    DEFAULT_MODBUS_TCP_PORT,
    DEFAULT_P1_BAUDRATE,
    DEFAULT_TASMOTA_HTTP_PORT,
    DEFAULT_WMBUS_RADIO,
    NETWORK_TRANSPORTS,
    SERIAL_TRANSPORTS,
    TASMOTA_TRANSPORTS,
    TRANSPORTS,
    Bus,
    BusConnection,
    NetworkSettings,
    SerialSettings,
    Transport,
)
from .bus.p1.tasmota import device_topic
from .bus.reachability import BusUnreachableError, async_check_reachable
from .const import (
    CONF_BAUDRATE,
    CONF_BYTESIZE,
    CONF_DEVICE,
    CONF_MODBUS_FAILED_POLLS,
    CONF_MODBUS_POLL_INTERVAL,
    CONF_NAME,
    CONF_P1_POWER_INTERVAL,
    CONF_P1_TOTAL_INTERVAL,
    CONF_PARITY,
    CONF_RADIO,
    CONF_STOPBITS,
    CONF_TOKEN,
    CONF_TRANSPORT,
    DEFAULT_MODBUS_FAILED_POLLS,
    DEFAULT_MODBUS_POLL_INTERVAL,
    DEFAULT_P1_POWER_INTERVAL,
    DEFAULT_P1_TOTAL_INTERVAL,
    DOMAIN,
    LOGGER,
    MODBUS_FAILED_POLLS_MAX,
    MODBUS_FAILED_POLLS_MIN,
    MODBUS_POLL_INTERVAL_MAX,
    MODBUS_POLL_INTERVAL_MIN,
    P1_POWER_INTERVAL_MAX,
    P1_TOTAL_INTERVAL_MAX,
    SUBENTRY_KWH_METER,
    SUBENTRY_SMART_METER,
    SUBENTRY_WMBUS_METER,
    TRANSPORT_NONE,
)
from .modbus.flow import ModbusMeterSubentryFlow
from .p1.flow import P1MeterSubentryFlow, async_p1_meter_title
from .p1.meter_steps import P1MeterSteps
from .p1.settings import P1MeterSettings
from .p1.tasmota_flow import CONF_TOPIC
from .runtime import configured_buses, meters_on_bus
from .wmbus.discovery import WmbusDiscoverySteps
from .wmbus.flow import WmbusMeterSubentryFlow
from .wmbus.webhook import async_endpoint_url

BAUDRATES = ["1200", "2400", "4800", "9600", "19200", "38400", "57600", "115200"]
BUS_ORDER = (Bus.P1, Bus.MODBUS, Bus.WMBUS)


def _select(options: list[str], translation_key: str | None = None) -> SelectSelector:
    config = SelectSelectorConfig(options=options, mode=SelectSelectorMode.DROPDOWN)
    if translation_key is not None:
        config["translation_key"] = translation_key
    return SelectSelector(config)


def _network_schema(default_port: int | None) -> probatio.Schema:
    port = (
        probatio.Required(CONF_PORT, default=default_port)
        if default_port is not None
        else probatio.Required(CONF_PORT)
    )
    return probatio.Schema(
        {
            probatio.Required(CONF_HOST): TextSelector(),
            port: NumberSelector(
                NumberSelectorConfig(min=1, max=65535, mode=NumberSelectorMode.BOX)
            ),
        }
    )


P1_SERIAL_SCHEMA = probatio.Schema({probatio.Required(CONF_DEVICE): SerialPortSelector()})
P1_TASMOTA_MQTT_SCHEMA = probatio.Schema({probatio.Required(CONF_TOPIC): TextSelector()})
MODBUS_SERIAL_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_DEVICE): SerialPortSelector(),
        probatio.Required(CONF_BAUDRATE, default=str(DEFAULT_MODBUS_BAUDRATE)): _select(BAUDRATES),
        probatio.Required(CONF_PARITY, default="N"): _select(["N", "E", "O"], "parity"),
        probatio.Required(CONF_STOPBITS, default="1"): _select(["1", "2"]),
        probatio.Required(CONF_BYTESIZE, default="8"): _select(["7", "8"]),
    }
)
WMBUS_MANAGED_SCHEMA = probatio.Schema(
    {probatio.Required(CONF_RADIO, default=DEFAULT_WMBUS_RADIO): TextSelector()}
)
# The token is suggested, not a default: the UI leaves out a field the user cleared, and
# a default would then come back.
WMBUS_HTTP_SCHEMA = probatio.Schema({probatio.Optional(CONF_TOKEN): TextSelector()})


class BeNextConfigFlow(WmbusDiscoverySteps, domain=DOMAIN):
    """Set up an installation: its name, then each bus in turn."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with no bus configured."""
        super().__init__()
        self._title = ""
        self._buses: dict[Bus, BusConnection] = {}
        # Modbus TCP and RTU over TCP share the network settings step.
        self._pending_transport: Transport | None = None
        # The smart meter heard on the P1 port, and its settings once confirmed.
        self._p1_meter = P1MeterSteps(
            self,
            meter_step_id="p1_meter",
            tasmota_meter_step_id="p1_tasmota_meter",
            async_restart=self.async_step_p1,
            async_confirmed=self._async_p1_meter_confirmed,
        )
        self._smart_meter: P1MeterSettings | None = None
        # The endpoint a new wM-Bus bus gets.
        self._webhook_id = webhook.async_generate_id()

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """The options of an installation."""
        return BeNextOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """The kinds of meter that can be added to an installation."""
        return {
            SUBENTRY_SMART_METER: P1MeterSubentryFlow,
            SUBENTRY_KWH_METER: ModbusMeterSubentryFlow,
            SUBENTRY_WMBUS_METER: WmbusMeterSubentryFlow,
        }

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Name the installation."""
        if user_input is not None:
            self._title = user_input[CONF_NAME].strip()
            return await self.async_step_p1()
        return self.async_show_form(
            step_id="user",
            data_schema=probatio.Schema({probatio.Required(CONF_NAME): TextSelector()}),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how the buses of an installation are reached."""
        self._buses = configured_buses(self._get_reconfigure_entry().data)
        return await self.async_step_p1()

    # One step per bus to choose its transport, then one step for its settings.

    async def async_step_p1(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose how the smart meter's P1 port is reached."""
        return await self._async_transport_step(Bus.P1, user_input)

    async def async_step_modbus(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose how the RS485 Modbus bus of the kWh meters is reached."""
        return await self._async_transport_step(Bus.MODBUS, user_input)

    async def async_step_wmbus(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose how wireless M-Bus telegrams arrive."""
        return await self._async_transport_step(Bus.WMBUS, user_input)

    async def async_step_p1_serial(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The serial port of the P1 cable."""
        return await self._async_settings_step(Bus.P1, Transport.SERIAL, user_input)

    async def async_step_p1_network(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The network reader that streams P1 telegrams."""
        return await self._async_settings_step(Bus.P1, Transport.NETWORK, user_input)

    async def async_step_p1_tasmota_mqtt(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The MQTT topic of a Tasmota reader (gPlug)."""
        if user_input is not None and not device_topic(user_input[CONF_TOPIC]):
            return self.async_show_form(
                step_id="p1_tasmota_mqtt",
                data_schema=P1_TASMOTA_MQTT_SCHEMA,
                errors={CONF_TOPIC: "invalid_topic"},
            )
        return await self._async_settings_step(Bus.P1, Transport.TASMOTA_MQTT, user_input)

    async def async_step_p1_tasmota_http(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The address of a Tasmota reader (gPlug), whose HTTP API is polled."""
        return await self._async_settings_step(Bus.P1, Transport.TASMOTA_HTTP, user_input)

    async def async_step_modbus_serial(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The USB-RS485 adapter and the bus's line settings."""
        return await self._async_settings_step(Bus.MODBUS, Transport.RTU, user_input)

    async def async_step_modbus_network(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The RS485-Ethernet converter."""
        transport = self._pending_transport or Transport.TCP
        return await self._async_settings_step(Bus.MODBUS, transport, user_input)

    async def async_step_wmbus_managed(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The radio that the integration's own wmbusmeters listens with."""
        return await self._async_settings_step(Bus.WMBUS, Transport.MANAGED, user_input)

    async def async_step_wmbus_http(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The endpoint wmbusmeters posts to, and the token it must send, if any."""
        current = self._buses.get(Bus.WMBUS)
        webhook_id = (current.webhook_id if current else None) or self._webhook_id
        if user_input is not None:
            token = (user_input.get(CONF_TOKEN) or "").strip() or None
            self._buses[Bus.WMBUS] = BusConnection(
                Bus.WMBUS, Transport.HTTP, webhook_id=webhook_id, token=token
            )
            return await self._async_next_bus(Bus.WMBUS)
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

    async def async_step_p1_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the smart meter found on the P1 port; confirm or override its variant."""
        return await self._p1_meter.async_step_meter(user_input)

    async def async_step_p1_tasmota_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the smart meter whose values the Tasmota reader sends."""
        return await self._p1_meter.async_step_tasmota_meter(user_input)

    async def _async_p1_meter_confirmed(self, settings: P1MeterSettings) -> ConfigFlowResult:
        self._smart_meter = settings
        return await self._async_next_bus(Bus.P1)

    async def _async_transport_step(
        self, bus: Bus, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            choice = user_input[CONF_TRANSPORT]
            if choice == TRANSPORT_NONE:
                errors = self._errors_when_removing(bus)
                if not errors:
                    self._buses.pop(bus, None)
                    return await self._async_next_bus(bus)
            else:
                transport = Transport(choice)
                self._pending_transport = transport
                if transport is Transport.HTTP:
                    return await self.async_step_wmbus_http()
                return await self._async_settings_step(bus, transport, None)

        current = self._buses.get(bus)
        default = current.transport.value if current else TRANSPORT_NONE
        options = [TRANSPORT_NONE, *(transport.value for transport in TRANSPORTS[bus])]
        return self.async_show_form(
            step_id=bus.value,
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_TRANSPORT, default=default): _select(
                        options, f"{bus}_transport"
                    )
                }
            ),
            errors=errors,
        )

    def _errors_when_removing(self, bus: Bus) -> dict[str, str]:
        if bus is Bus.WMBUS and not any(b in self._buses for b in (Bus.P1, Bus.MODBUS)):
            return {"base": "no_bus"}
        if self.source == SOURCE_RECONFIGURE and meters_on_bus(self._get_reconfigure_entry(), bus):
            return {"base": "bus_has_meters"}
        return {}

    async def _async_settings_step(
        self, bus: Bus, transport: Transport, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        step_id = _settings_step(bus, transport)
        errors: dict[str, str] = {}
        if user_input is not None:
            connection = _connection_from_input(bus, transport, user_input)
            if (reason := self._endpoint_conflict(connection)) is not None:
                if reason == "already_configured":
                    return self.async_abort(reason=reason)
                errors["base"] = reason
            elif bus is Bus.P1:
                found, error = await self._async_find_p1_meter(connection)
                if found is not None:
                    return found
                errors["base"] = error
            else:
                try:
                    await async_check_reachable(connection)
                except BusUnreachableError as err:
                    LOGGER.debug("The %s bus cannot be reached: %s", bus, err.detail)
                    errors["base"] = err.reason.value
            if not errors:
                self._buses[bus] = connection
                return await self._async_next_bus(bus)

        schema = _settings_schema(bus, transport)
        current = self._buses.get(bus)
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(schema, user_input)
        elif current is not None and current.transport is transport:
            schema = self.add_suggested_values_to_schema(schema, _input_from_connection(current))
        return self.async_show_form(step_id=step_id, data_schema=schema, errors=errors)

    async def _async_find_p1_meter(
        self, connection: BusConnection
    ) -> tuple[ConfigFlowResult | None, str]:
        """The step that shows the meter behind the P1 port, or why none was found."""
        if (error := await self._p1_meter.async_listen(connection)) is not None:
            return None, error
        self._buses[Bus.P1] = self._p1_meter.connection
        return await self._p1_meter.async_show_heard(), ""

    def _endpoint_conflict(self, connection: BusConnection) -> str | None:
        """`port_in_use` within this installation, `already_configured` across them."""
        endpoint = connection.endpoint
        if endpoint is None:
            return None
        if any(
            other.endpoint == endpoint
            for bus, other in self._buses.items()
            if bus is not connection.bus
        ):
            return "port_in_use"
        own_entry_id = (
            self._get_reconfigure_entry().entry_id if self.source == SOURCE_RECONFIGURE else None
        )
        for entry in self._async_current_entries(include_ignore=False):
            if entry.entry_id == own_entry_id:
                continue
            if any(other.endpoint == endpoint for other in configured_buses(entry.data).values()):
                return "already_configured"
        return None

    async def _async_next_bus(self, bus: Bus) -> ConfigFlowResult:
        self._pending_transport = None
        index = BUS_ORDER.index(bus)
        if index + 1 < len(BUS_ORDER):
            return await self._async_transport_step(BUS_ORDER[index + 1], None)
        data = {bus.value: connection.as_dict() for bus, connection in self._buses.items()}
        if self.source == SOURCE_RECONFIGURE:
            entry = self._get_reconfigure_entry()
            if self._smart_meter is not None:
                await self._async_store_smart_meter(entry, self._smart_meter)
            return self.async_update_and_abort(entry, data=data)
        subentries: list[ConfigSubentryData] = []
        if self._smart_meter is not None:
            title = await async_p1_meter_title(self.hass)
            subentries.append(_p1_meter_subentry(self._smart_meter, title))
        return self.async_create_entry(title=self._title, data=data, subentries=subentries)

    async def _async_store_smart_meter(self, entry: ConfigEntry, settings: P1MeterSettings) -> None:
        """Keep the smart meter subentry in step with the meter now on the port."""
        existing = next(
            (s for s in entry.subentries.values() if s.subentry_type == SUBENTRY_SMART_METER),
            None,
        )
        if existing is not None:
            self.hass.config_entries.async_update_subentry(
                entry, existing, data=settings.as_data(), unique_id=settings.serial
            )
            return
        subentry = _p1_meter_subentry(settings, await async_p1_meter_title(self.hass))
        self.hass.config_entries.async_add_subentry(
            entry,
            ConfigSubentry(
                data=MappingProxyType(subentry["data"]),
                subentry_type=SUBENTRY_SMART_METER,
                title=subentry["title"],
                unique_id=settings.serial,
            ),
        )


def _settings_step(bus: Bus, transport: Transport) -> str:
    if transport in TASMOTA_TRANSPORTS:
        return f"{bus}_{transport}"
    if transport is Transport.MANAGED:
        return f"{bus}_managed"
    if transport in SERIAL_TRANSPORTS:
        return f"{bus}_serial"
    return f"{bus}_network"


def _settings_schema(bus: Bus, transport: Transport) -> probatio.Schema:
    if transport is Transport.MANAGED:
        return WMBUS_MANAGED_SCHEMA
    if transport is Transport.TASMOTA_MQTT:
        return P1_TASMOTA_MQTT_SCHEMA
    if transport is Transport.TASMOTA_HTTP:
        return _network_schema(DEFAULT_TASMOTA_HTTP_PORT)
    if bus is Bus.P1:
        return P1_SERIAL_SCHEMA if transport is Transport.SERIAL else _network_schema(None)
    if transport is Transport.RTU:
        return MODBUS_SERIAL_SCHEMA
    return _network_schema(DEFAULT_MODBUS_TCP_PORT)


def _connection_from_input(
    bus: Bus, transport: Transport, user_input: dict[str, Any]
) -> BusConnection:
    if transport is Transport.MANAGED:
        return BusConnection(bus, transport, radio=user_input[CONF_RADIO].strip())
    if transport is Transport.TASMOTA_MQTT:
        return BusConnection(bus, transport, topic=device_topic(user_input[CONF_TOPIC]))
    if transport in NETWORK_TRANSPORTS:
        network = NetworkSettings(
            host=user_input[CONF_HOST].strip(), port=int(user_input[CONF_PORT])
        )
        return BusConnection(bus, transport, network=network)
    if bus is Bus.P1:
        serial = SerialSettings(device=user_input[CONF_DEVICE], baudrate=DEFAULT_P1_BAUDRATE)
    else:
        serial = SerialSettings(
            device=user_input[CONF_DEVICE],
            baudrate=int(user_input[CONF_BAUDRATE]),
            bytesize=int(user_input[CONF_BYTESIZE]),
            parity=user_input[CONF_PARITY],
            stopbits=int(user_input[CONF_STOPBITS]),
        )
    return BusConnection(bus, transport, serial=serial)


def _input_from_connection(connection: BusConnection) -> dict[str, Any]:
    if connection.network is not None:
        return {CONF_HOST: connection.network.host, CONF_PORT: connection.network.port}
    if connection.topic is not None:
        return {CONF_TOPIC: connection.topic}
    if connection.serial is not None:
        serial = connection.serial
        return {
            CONF_DEVICE: serial.device,
            CONF_BAUDRATE: str(serial.baudrate),
            CONF_BYTESIZE: str(serial.bytesize),
            CONF_PARITY: serial.parity,
            CONF_STOPBITS: str(serial.stopbits),
        }
    return {CONF_RADIO: connection.radio}


class BeNextOptionsFlow(OptionsFlow):
    """Options of an installation, for the buses it has."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """How often the kWh meters are read and the smart meter's values written."""
        fields = _option_fields(self.config_entry)
        if not fields:
            return self.async_abort(reason="no_options")
        if user_input is not None:
            return self.async_create_entry(
                data={key: int(value) for key, value in user_input.items()}
            )
        schema = probatio.Schema(
            {
                probatio.Required(key, default=default): _seconds_or_count(low, high, unit)
                for key, (default, low, high, unit) in fields.items()
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, self.config_entry.options),
        )


def _option_fields(entry: ConfigEntry) -> dict[str, tuple[int, int, int, str | None]]:
    """Each option of the entry's buses: its default, bounds and unit."""
    fields: dict[str, tuple[int, int, int, str | None]] = {}
    if Bus.P1 in entry.data:
        fields[CONF_P1_POWER_INTERVAL] = (DEFAULT_P1_POWER_INTERVAL, 0, P1_POWER_INTERVAL_MAX, "s")
        fields[CONF_P1_TOTAL_INTERVAL] = (DEFAULT_P1_TOTAL_INTERVAL, 0, P1_TOTAL_INTERVAL_MAX, "s")
    if Bus.MODBUS in entry.data:
        fields[CONF_MODBUS_POLL_INTERVAL] = (
            DEFAULT_MODBUS_POLL_INTERVAL,
            MODBUS_POLL_INTERVAL_MIN,
            MODBUS_POLL_INTERVAL_MAX,
            "s",
        )
        fields[CONF_MODBUS_FAILED_POLLS] = (
            DEFAULT_MODBUS_FAILED_POLLS,
            MODBUS_FAILED_POLLS_MIN,
            MODBUS_FAILED_POLLS_MAX,
            None,
        )
    return fields


def _seconds_or_count(low: int, high: int, unit: str | None) -> NumberSelector:
    config = NumberSelectorConfig(min=low, max=high, step=1, mode=NumberSelectorMode.BOX)
    if unit is not None:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


def _p1_meter_subentry(settings: P1MeterSettings, title: str) -> ConfigSubentryData:
    """A smart meter subentry, as the installation's flow creates it."""
    return {
        "subentry_type": SUBENTRY_SMART_METER,
        "data": settings.as_data(),
        "title": title,
        "unique_id": settings.serial,
    }
