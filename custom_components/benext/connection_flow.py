"""The steps that connect one bus to an installation, whichever bus it is.

Each bus's installation steps (`installation_steps.py` in p1/, modbus/ and wmbus/) choose
its transport and ask its settings with these; the installation flow (config_flow.py)
combines them and says in which order the buses are asked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryData,
)
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
import probatio

from .bus.connection import (
    TRANSPORTS,
    Bus,
    BusConnection,
    NetworkSettings,
    Transport,
    configured_buses,
)
from .bus.reachability import BusUnreachableError, async_check_reachable
from .const import (
    CONF_BAUDRATE,
    CONF_BYTESIZE,
    CONF_DEVICE,
    CONF_PARITY,
    CONF_RADIO,
    CONF_STOPBITS,
    CONF_TOPIC,
    CONF_TRANSPORT,
    LOGGER,
    TRANSPORT_NONE,
)
from .meter_buses import meters_on_bus

type StepResult = Awaitable[ConfigFlowResult]
# What a settings form's answers make: the connection of the bus over the transport.
type ConnectionFromInput = Callable[[Bus, Transport, dict[str, Any]], BusConnection]


class BusOption(NamedTuple):
    """One option of a bus, in seconds or a count: its key, default, bounds and unit."""

    key: str
    default: int
    minimum: int
    maximum: int
    unit: str | None


@dataclass(frozen=True, slots=True)
class SettingsForm:
    """A bus's settings step: its form, and the connection the installer's answers make."""

    step_id: str
    bus: Bus
    transport: Transport
    schema: probatio.Schema
    connection_from_input: ConnectionFromInput


async def async_reachability_error(connection: BusConnection) -> str | None:
    """Why the bus cannot be reached now, as the form's error key; None when it can."""
    try:
        await async_check_reachable(connection)
    except BusUnreachableError as err:
        LOGGER.debug("The %s bus cannot be reached: %s", connection.bus, err.detail)
        return err.reason.value
    return None


class BusInstallationSteps(ConfigFlow):
    """The buses of an installation set up so far, and the steps that set up one more.

    A subclass holds one bus's steps; the installation flow combines every bus's steps, so
    it reads a bus's `BUS` and `OPTIONS` from that bus's class, never from the flow. A
    bus whose steps find meters extends the `_async_*meters_found` hooks, calling super().
    """

    BUS: ClassVar[Bus]
    # The bus's options in the installation's options flow.
    OPTIONS: ClassVar[tuple[BusOption, ...]] = ()

    def __init__(self) -> None:
        """Start with no bus configured."""
        super().__init__()
        self._buses: dict[Bus, BusConnection] = {}
        # The transport chosen for a settings step that serves several (Modbus TCP and
        # RTU over TCP share the network settings step).
        self._pending_transport: Transport | None = None

    async def _async_bus_done(self, bus: Bus) -> ConfigFlowResult:
        """The step after this bus's last one: the installation flow's to say."""
        raise NotImplementedError

    async def _async_meters_found(self) -> list[ConfigSubentryData]:
        """The meters that the buses' steps found, to add with a new installation."""
        return []

    async def _async_store_meters_found(self, entry: ConfigEntry) -> None:
        """Keep a reconfigured installation's meters in step with those found on its buses."""

    async def _async_transport_step(
        self,
        bus: Bus,
        user_input: dict[str, Any] | None,
        settings_steps: Mapping[Transport, Callable[[], StepResult]],
    ) -> ConfigFlowResult:
        """Choose how the bus is reached (or that it is not present), then its settings."""
        errors: dict[str, str] = {}
        if user_input is not None:
            choice = user_input[CONF_TRANSPORT]
            if choice == TRANSPORT_NONE:
                errors = self._errors_when_removing(bus)
                if not errors:
                    self._buses.pop(bus, None)
                    return await self._async_bus_done(bus)
            else:
                transport = Transport(choice)
                self._pending_transport = transport
                return await settings_steps[transport]()
        return self._show_transport_form(bus, errors)

    def _show_transport_form(
        self, bus: Bus, errors: dict[str, str] | None = None
    ) -> ConfigFlowResult:
        """The bus's transport step, with its current transport chosen."""
        current = self._buses.get(bus)
        default = current.transport.value if current else TRANSPORT_NONE
        options = [TRANSPORT_NONE, *(transport.value for transport in TRANSPORTS[bus])]
        return self.async_show_form(
            step_id=bus.value,
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_TRANSPORT, default=default): select(
                        options, f"{bus}_transport"
                    )
                }
            ),
            errors=errors or {},
        )

    def _errors_when_removing(self, bus: Bus) -> dict[str, str]:
        """Why the bus cannot be left out: it still carries meters."""
        if self.source == SOURCE_RECONFIGURE and meters_on_bus(self._get_reconfigure_entry(), bus):
            return {"base": "bus_has_meters"}
        return {}

    async def _async_settings_step(
        self,
        form: SettingsForm,
        user_input: dict[str, Any] | None,
        async_check: Callable[[BusConnection], Awaitable[str | None]] = async_reachability_error,
        async_connected: Callable[[BusConnection], StepResult] | None = None,
    ) -> ConfigFlowResult:
        """Ask the bus's settings and check them: by default, the bus must be reachable.

        `async_check` gives the form's error key, or None when the connection is good;
        `async_connected` the step after a good connection (by default: the next bus).
        """
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            connection = form.connection_from_input(form.bus, form.transport, user_input)
            if self._endpoint_used_here(connection):
                errors["base"] = "port_in_use"
            elif (other := self._installation_using(connection)) is not None:
                errors["base"] = f"{form.bus}_used_elsewhere"
                placeholders["installation"] = other.title
            elif (error := await async_check(connection)) is not None:
                errors["base"] = error
            else:
                return await (async_connected or self._async_bus_connected)(connection)

        schema = form.schema
        current = self._buses.get(form.bus)
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(schema, user_input)
        elif current is not None and current.transport is form.transport:
            schema = self.add_suggested_values_to_schema(schema, input_from_connection(current))
        return self.async_show_form(
            step_id=form.step_id,
            data_schema=schema,
            errors=errors,
            description_placeholders=placeholders,
        )

    async def _async_bus_connected(self, connection: BusConnection) -> ConfigFlowResult:
        """Keep the bus's connection and go on to the next bus."""
        self._buses[connection.bus] = connection
        return await self._async_bus_done(connection.bus)

    def _endpoint_used_here(self, connection: BusConnection) -> bool:
        """Whether another bus of this installation occupies the connection's endpoint."""
        endpoint = connection.endpoint
        return endpoint is not None and any(
            other.endpoint == endpoint
            for bus, other in self._buses.items()
            if bus is not connection.bus
        )

    def _installation_using(self, connection: BusConnection) -> ConfigEntry | None:
        """The other installation whose buses occupy the connection's endpoint, if any."""
        endpoint = connection.endpoint
        if endpoint is None:
            return None
        own_entry_id = (
            self._get_reconfigure_entry().entry_id if self.source == SOURCE_RECONFIGURE else None
        )
        for entry in self._async_current_entries(include_ignore=False):
            if entry.entry_id == own_entry_id:
                continue
            if any(other.endpoint == endpoint for other in configured_buses(entry.data).values()):
                return entry
        return None


def select(options: list[str], translation_key: str | None = None) -> SelectSelector:
    """A drop-down of the options, translated when a translation key is given."""
    config = SelectSelectorConfig(options=options, mode=SelectSelectorMode.DROPDOWN)
    if translation_key is not None:
        config["translation_key"] = translation_key
    return SelectSelector(config)


def network_schema(default_port: int) -> probatio.Schema:
    """The host and TCP port of a bus reached over the network, the port pre-filled."""
    return probatio.Schema(
        {
            probatio.Required(CONF_HOST): TextSelector(),
            probatio.Required(CONF_PORT, default=default_port): NumberSelector(
                NumberSelectorConfig(min=1, max=65535, mode=NumberSelectorMode.BOX)
            ),
        }
    )


def network_connection(bus: Bus, transport: Transport, user_input: dict[str, Any]) -> BusConnection:
    """The connection that a network settings form's answers make."""
    network = NetworkSettings(host=user_input[CONF_HOST].strip(), port=int(user_input[CONF_PORT]))
    return BusConnection(bus, transport, network=network)


def input_from_connection(connection: BusConnection) -> dict[str, Any]:
    """A settings form's answers that make this connection, to suggest them again."""
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
