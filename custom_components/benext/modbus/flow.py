"""Subentry flow of a kWh meter on the RS485 Modbus bus: one meter, or a bus scan (scan_steps)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SubentryFlowResult
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio

from ..bus.connection import Bus
from ..bus.modbus.register_maps import MapFamily
from ..bus.reachability import BusUnreachableError
from ..const import CONF_ADDRESS, CONF_MODEL, CONF_ROLE, CONF_TARIFF_MODES
from ..domain.heat_pump_modes import DEFAULT_TARIFF_MODES, HeatPumpMode
from ..domain.modbus_meter_models import MODELS, ModbusMeterModel
from ..domain.roles import KWH_METER_ROLES, Role, default_modbus_address
from .probe import ModbusMeterFound, ProbeError, async_bus_client, async_probe
from .scan_steps import ModbusScanSteps
from .subentry import ADDRESS_SELECTOR, async_kwh_meter_title, meter_data, taken_addresses

TARIFF_FIELDS = ("tariff_1", "tariff_2", "tariff_3", "tariff_4")

ROLE_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[role.value for role in KWH_METER_ROLES],
        translation_key="kwh_meter_role",
        mode=SelectSelectorMode.LIST,
    )
)
MODEL_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[model.value for model in ModbusMeterModel],
        translation_key="kwh_meter_model",
        mode=SelectSelectorMode.DROPDOWN,
    )
)
MODE_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[mode.value for mode in HeatPumpMode],
        translation_key="heat_pump_mode",
        mode=SelectSelectorMode.DROPDOWN,
    )
)


class ModbusMeterSubentryFlow(ModbusScanSteps):
    """Add a kWh meter (one, or all a bus scan finds), or change one."""

    def __init__(self) -> None:
        """Start a flow."""
        super().__init__()
        self._role = Role.AUXILIARY
        self._found: ModbusMeterFound | None = None

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add one meter, or scan the bus for meters."""
        if Bus.MODBUS not in self._get_entry().data:
            return self.async_abort(reason="modbus_not_configured")
        return self.async_show_menu(step_id="user", menu_options=["role", "scan"])

    async def async_step_role(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Choose what the meter measures."""
        if user_input is not None:
            self._role = Role(user_input[CONF_ROLE])
            return await self.async_step_meter()
        return self.async_show_form(
            step_id="role",
            data_schema=probatio.Schema({probatio.Required(CONF_ROLE): ROLE_SELECTOR}),
        )

    async def async_step_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The meter's Modbus address and model; the meter is read before it is saved."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            address = int(user_input[CONF_ADDRESS])
            if address in taken_addresses(self._get_entry()):
                errors[CONF_ADDRESS] = "address_in_use"
            else:
                self._found = await self._async_probe(
                    address, ModbusMeterModel(user_input[CONF_MODEL]), errors, placeholders
                )
                if self._found is not None:
                    return await self.async_step_confirm()

        default_address = default_modbus_address(self._role, taken_addresses(self._get_entry()))
        if default_address is None:
            return self.async_abort(reason="bus_full")
        schema = probatio.Schema(
            {
                probatio.Required(CONF_ADDRESS, default=default_address): ADDRESS_SELECTOR,
                probatio.Required(
                    CONF_MODEL, default=ModbusMeterModel.DETECT.value
                ): MODEL_SELECTOR,
            }
        )
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(
            step_id="meter",
            data_schema=schema,
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Show what answered; the installer can name the model on the label instead."""
        found = self._read_meter()
        if user_input is not None:
            self._found = _with_model(found, ModbusMeterModel(user_input[CONF_MODEL]))
            if self._role is Role.HEAT_PUMP and self._found.family is MapFamily.INEPRO_4PS:
                return await self.async_step_tariffs()
            data = meter_data(self._role, self._found)
            return self.async_create_entry(
                title=await async_kwh_meter_title(self.hass, data), data=data
            )
        info = MODELS[found.model]
        # The models that use the register map that answered, or have no known map.
        fitting = [
            model.value
            for model, model_info in MODELS.items()
            if model_info.family in (None, found.family)
        ]
        return self.async_show_form(
            step_id="confirm",
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_MODEL, default=found.model.value): SelectSelector(
                        SelectSelectorConfig(
                            options=fitting,
                            translation_key="kwh_meter_model",
                            mode=SelectSelectorMode.DROPDOWN,
                        )
                    )
                }
            ),
            description_placeholders={
                "address": str(found.address),
                "model": f"{info.manufacturer} {info.name}",
                "serial": found.serial or "-",
                "energy": "-" if found.import_energy is None else f"{found.import_energy:.2f}",
            },
        )

    async def async_step_tariffs(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """An Inepro 4PS on the heat pump: the heat pump mode behind each tariff."""
        if user_input is not None:
            modes = [user_input[field] for field in TARIFF_FIELDS]
            if self.source == "reconfigure":
                subentry = self._get_reconfigure_subentry()
                data = {**subentry.data, CONF_TARIFF_MODES: modes}
                return self.async_update_and_abort(self._get_entry(), subentry, data=data)
            data = {**meter_data(self._role, self._read_meter()), CONF_TARIFF_MODES: modes}
            return self.async_create_entry(
                title=await async_kwh_meter_title(self.hass, data), data=data
            )
        current = DEFAULT_TARIFF_MODES
        if self.source == "reconfigure":
            stored = self._get_reconfigure_subentry().data.get(CONF_TARIFF_MODES)
            current = tuple(HeatPumpMode(mode) for mode in stored) if stored else current
        return self.async_show_form(
            step_id="tariffs",
            data_schema=probatio.Schema(
                {
                    probatio.Required(field, default=mode.value): MODE_SELECTOR
                    for field, mode in zip(TARIFF_FIELDS, current, strict=True)
                }
            ),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a meter's role, address or model; the meter is read before it is saved."""
        subentry = self._get_reconfigure_subentry()
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            address = int(user_input[CONF_ADDRESS])
            if address in taken_addresses(self._get_entry(), excluding=subentry):
                errors[CONF_ADDRESS] = "address_in_use"
            else:
                found = await self._async_probe(
                    address, ModbusMeterModel(user_input[CONF_MODEL]), errors, placeholders
                )
                if found is not None:
                    role = Role(user_input[CONF_ROLE])
                    data = {**subentry.data, **meter_data(role, found)}
                    self.hass.config_entries.async_update_subentry(
                        self._get_entry(),
                        subentry,
                        title=await async_kwh_meter_title(self.hass, data),
                        data=data,
                    )
                    if role is Role.HEAT_PUMP and found.family is MapFamily.INEPRO_4PS:
                        return await self.async_step_tariffs()
                    return self.async_abort(reason="reconfigure_successful")
        schema = probatio.Schema(
            {
                probatio.Required(CONF_ROLE): ROLE_SELECTOR,
                probatio.Required(CONF_ADDRESS): ADDRESS_SELECTOR,
                probatio.Required(CONF_MODEL): MODEL_SELECTOR,
            }
        )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input if user_input is not None else subentry.data
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def _async_probe(
        self,
        address: int,
        model: ModbusMeterModel,
        errors: dict[str, str],
        placeholders: dict[str, str],
    ) -> ModbusMeterFound | None:
        """Read the meter; on failure fill in the form's error and its placeholders."""
        placeholders["address"] = str(address)
        try:
            async with async_bus_client(self._get_entry()) as client:
                return await async_probe(client, address, model)
        except BusUnreachableError:
            errors["base"] = "cannot_connect"
        except ProbeError as err:
            errors["base"] = err.reason
            placeholders["detected"] = err.detected
        return None

    def _read_meter(self) -> ModbusMeterFound:
        """The meter the meter step read; the steps after it are only reached that way."""
        if self._found is None:
            raise RuntimeError("no meter has been read")
        return self._found


def _with_model(found: ModbusMeterFound, model: ModbusMeterModel) -> ModbusMeterFound:
    """The meter as the installer names it; a model without a known map keeps the probed one."""
    family = MODELS[model].family or found.family
    return ModbusMeterFound(found.address, model, family, found.serial, found.import_energy)
