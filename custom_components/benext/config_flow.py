"""Config flow of a BeNext installation: its name, then each of its buses in turn."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
)
import probatio

from .bus.connection import Bus
from .connection_flow import BusInstallationSteps
from .const import (
    CONF_MODBUS_FAILED_POLLS,
    CONF_MODBUS_POLL_INTERVAL,
    CONF_NAME,
    CONF_P1_POWER_INTERVAL,
    CONF_P1_TOTAL_INTERVAL,
    DEFAULT_MODBUS_FAILED_POLLS,
    DEFAULT_MODBUS_POLL_INTERVAL,
    DEFAULT_P1_POWER_INTERVAL,
    DEFAULT_P1_TOTAL_INTERVAL,
    DOMAIN,
    MODBUS_FAILED_POLLS_MAX,
    MODBUS_FAILED_POLLS_MIN,
    MODBUS_POLL_INTERVAL_MAX,
    MODBUS_POLL_INTERVAL_MIN,
    P1_POWER_INTERVAL_MAX,
    P1_TOTAL_INTERVAL_MAX,
    SUBENTRY_KWH_METER,
    SUBENTRY_SMART_METER,
    SUBENTRY_WMBUS_METER,
)
from .modbus.flow import ModbusMeterSubentryFlow
from .modbus.installation_steps import ModbusInstallationSteps
from .p1.flow import P1MeterSubentryFlow
from .p1.installation_steps import P1InstallationSteps
from .runtime import configured_buses
from .wmbus.discovery import WmbusDiscoverySteps
from .wmbus.flow import WmbusMeterSubentryFlow
from .wmbus.installation_steps import WmbusInstallationSteps

# Each bus's steps, in the order the installation asks for the buses.
BUS_STEPS: tuple[type[BusInstallationSteps], ...] = (
    P1InstallationSteps,
    ModbusInstallationSteps,
    WmbusInstallationSteps,
)
BUS_ORDER = tuple(steps.BUS for steps in BUS_STEPS)


class BeNextConfigFlow(
    P1InstallationSteps,
    ModbusInstallationSteps,
    WmbusInstallationSteps,
    WmbusDiscoverySteps,
    domain=DOMAIN,
):
    """Set up an installation: its name, then each bus in turn."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with no name and no bus."""
        super().__init__()
        self._title = ""

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
            return self._show_transport_form(BUS_ORDER[0])
        return self.async_show_form(
            step_id="user",
            data_schema=probatio.Schema({probatio.Required(CONF_NAME): TextSelector()}),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how the buses of an installation are reached."""
        self._buses = configured_buses(self._get_reconfigure_entry().data)
        return self._show_transport_form(BUS_ORDER[0])

    def _errors_when_removing(self, bus: Bus) -> dict[str, str]:
        """Why the bus cannot be left out: the last bus asked is the last chance to have one."""
        if bus is BUS_ORDER[-1] and not any(other in self._buses for other in BUS_ORDER[:-1]):
            return {"base": "no_bus"}
        return super()._errors_when_removing(bus)

    async def _async_next_bus(self, bus: Bus) -> ConfigFlowResult:
        """The next bus's transport step; after the last bus, the installation is stored."""
        self._pending_transport = None
        index = BUS_ORDER.index(bus)
        if index + 1 < len(BUS_ORDER):
            return self._show_transport_form(BUS_ORDER[index + 1])
        data = {bus.value: connection.as_dict() for bus, connection in self._buses.items()}
        if self.source == SOURCE_RECONFIGURE:
            entry = self._get_reconfigure_entry()
            await self._async_store_meters_found(entry)
            return self.async_update_and_abort(entry, data=data)
        return self.async_create_entry(
            title=self._title, data=data, subentries=await self._async_meters_found()
        )


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
