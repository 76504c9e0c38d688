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
from homeassistant.const import UnitOfEnergy
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
)
import probatio

from .bus.connection import Bus, configured_buses
from .connection_flow import BusInstallationSteps, BusOption
from .const import (
    CONF_EPV_BUDGET,
    CONF_NAME,
    DOMAIN,
    EPV_BUDGET_MAX,
)
from .meter_buses import METER_BUSES
from .modbus.installation_steps import ModbusInstallationSteps
from .p1.installation_steps import P1InstallationSteps
from .wmbus.discovery import WmbusDiscoverySteps
from .wmbus.installation_steps import WmbusInstallationSteps

# Each bus's steps, in the order the installation asks for the buses.
BUS_STEPS: tuple[type[BusInstallationSteps], ...] = (
    P1InstallationSteps,
    ModbusInstallationSteps,
    WmbusInstallationSteps,
)
BUS_ORDER = tuple(steps.BUS for steps in BUS_STEPS)
# After a bus's name in the buses menu once the bus is set up; a sign, in every language.
CONFIGURED_MARK = "✓"


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
            subentry_type: flow
            for meter_bus in METER_BUSES.values()
            for subentry_type, flow in meter_bus.subentry_flows.items()
        }

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Name the installation."""
        if user_input is not None:
            self._title = user_input[CONF_NAME].strip()
            return await self.async_step_buses()
        return self.async_show_form(
            step_id="user",
            data_schema=probatio.Schema({probatio.Required(CONF_NAME): TextSelector()}),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how the buses of an installation are reached."""
        self._buses = configured_buses(self._get_reconfigure_entry().data)
        return await self.async_step_buses()

    async def async_step_buses(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The installation's buses: choose one to set up or change, or save.

        Flows have no back button: every bus's steps end here, so a choice made earlier is
        changed by choosing that bus again. Saving is offered once the installation has a bus.
        """
        self._pending_transport = None
        options = [bus.value for bus in BUS_ORDER]
        if self._buses:
            options.append("finish")
        return self.async_show_menu(
            step_id="buses",
            menu_options=options,
            description_placeholders={
                bus.value: CONFIGURED_MARK if bus in self._buses else "" for bus in BUS_ORDER
            },
        )

    async def async_step_finish(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Store the installation with its buses, and the meters their steps found."""
        if not self._buses:
            return await self.async_step_buses()
        data = {bus.value: self._buses[bus].as_dict() for bus in BUS_ORDER if bus in self._buses}
        if self.source == SOURCE_RECONFIGURE:
            entry = self._get_reconfigure_entry()
            await self._async_store_meters_found(entry)
            return self.async_update_and_abort(entry, data=data)
        return self.async_create_entry(
            title=self._title, data=data, subentries=await self._async_meters_found()
        )

    async def _async_bus_done(self, bus: Bus) -> ConfigFlowResult:
        """After a bus's steps, back to the installation's buses."""
        return await self.async_step_buses()


class BeNextOptionsFlow(OptionsFlow):
    """Options of an installation, for the buses it has."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """How often the kWh meters are read and the smart meter's values written."""
        options = _bus_options(self.config_entry)
        if not options:
            return self.async_abort(reason="no_options")
        if user_input is not None:
            return self.async_create_entry(
                data={key: int(value) for key, value in user_input.items()}
            )
        schema = probatio.Schema(
            {
                probatio.Required(option.key, default=option.default): _option_selector(option)
                for option in options
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, self.config_entry.options),
        )


EPV_BUDGET_OPTION = BusOption(CONF_EPV_BUDGET, 0, 0, EPV_BUDGET_MAX, UnitOfEnergy.KILO_WATT_HOUR)


def _bus_options(entry: ConfigEntry) -> list[BusOption]:
    """The options of the buses the installation has, in the order of its buses."""
    options = [option for steps in BUS_STEPS if steps.BUS in entry.data for option in steps.OPTIONS]
    # The EPV budget is the household's, which the smart meter's grid figures make.
    return [*options, EPV_BUDGET_OPTION] if Bus.P1 in entry.data else options


def _option_selector(option: BusOption) -> NumberSelector:
    config = NumberSelectorConfig(
        min=option.minimum, max=option.maximum, step=1, mode=NumberSelectorMode.BOX
    )
    if option.unit is not None:
        config["unit_of_measurement"] = option.unit
    return NumberSelector(config)
