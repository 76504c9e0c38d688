"""Subentry flow of a kWh meter on the installation's RS485 Modbus bus."""

from __future__ import annotations

import asyncio
from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigSubentry, ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
from homeassistant.helpers.translation import async_get_translations
import probatio

from ..bus.connection import Bus
from ..bus.modbus.register_maps import MapFamily
from ..bus.reachability import BusUnreachableError
from ..const import (
    CONF_ADDRESS,
    CONF_MODEL,
    CONF_REGISTER_MAP,
    CONF_ROLE,
    CONF_SERIAL,
    CONF_TARIFF_MODES,
    DOMAIN,
    SUBENTRY_KWH_METER,
)
from ..domain.heat_pump_modes import DEFAULT_TARIFF_MODES, HeatPumpMode
from ..domain.modbus_meter_models import MODELS, ModbusMeterModel
from ..domain.roles import (
    BENEXT_MODBUS_ADDRESSES,
    KWH_METER_ROLES,
    MODBUS_ADDRESS_MAX,
    MODBUS_ADDRESS_MIN,
    Role,
    default_modbus_address,
)
from .probe import ModbusMeterFound, ProbeError, async_bus_client, async_probe, async_scan

CONF_FIRST_ADDRESS = "first_address"
CONF_LAST_ADDRESS = "last_address"
CONF_METERS = "meters"
TARIFF_FIELDS = ("tariff_1", "tariff_2", "tariff_3", "tariff_4")
DEFAULT_SCAN_LAST_ADDRESS = 32

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
ADDRESS_SELECTOR = NumberSelector(
    NumberSelectorConfig(
        min=MODBUS_ADDRESS_MIN, max=MODBUS_ADDRESS_MAX, step=1, mode=NumberSelectorMode.BOX
    )
)
MODE_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[mode.value for mode in HeatPumpMode],
        translation_key="heat_pump_mode",
        mode=SelectSelectorMode.DROPDOWN,
    )
)


class ModbusMeterSubentryFlow(ConfigSubentryFlow):
    """Add a kWh meter (one, or all a bus scan finds), or change one."""

    def __init__(self) -> None:
        """Start a flow."""
        self._role = Role.AUXILIARY
        self._found: ModbusMeterFound | None = None
        self._scan_range = range(MODBUS_ADDRESS_MIN, DEFAULT_SCAN_LAST_ADDRESS + 1)
        self._scan_task: asyncio.Task[list[ModbusMeterFound]] | None = None
        self._scanned: list[ModbusMeterFound] = []

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
            if address in self._taken_addresses():
                errors[CONF_ADDRESS] = "address_in_use"
            else:
                self._found = await self._async_probe(
                    address, ModbusMeterModel(user_input[CONF_MODEL]), errors, placeholders
                )
                if self._found is not None:
                    return await self.async_step_confirm()

        default_address = default_modbus_address(self._role, self._taken_addresses())
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
            data = _meter_data(self._role, self._found)
            return self.async_create_entry(title=await self._title(data), data=data)
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
            data = {**_meter_data(self._role, self._read_meter()), CONF_TARIFF_MODES: modes}
            return self.async_create_entry(title=await self._title(data), data=data)
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

    async def async_step_scan(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Which addresses to scan."""
        errors: dict[str, str] = {}
        if user_input is not None:
            first, last = int(user_input[CONF_FIRST_ADDRESS]), int(user_input[CONF_LAST_ADDRESS])
            if first > last:
                errors[CONF_LAST_ADDRESS] = "invalid_range"
            else:
                self._scan_range = range(first, last + 1)
                return await self.async_step_scanning()
        schema = probatio.Schema(
            {
                probatio.Required(CONF_FIRST_ADDRESS, default=MODBUS_ADDRESS_MIN): ADDRESS_SELECTOR,
                probatio.Required(
                    CONF_LAST_ADDRESS, default=DEFAULT_SCAN_LAST_ADDRESS
                ): ADDRESS_SELECTOR,
            }
        )
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(step_id="scan", data_schema=schema, errors=errors)

    async def async_step_scanning(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Scan the bus, one address after the other."""
        if self._scan_task is None:
            self._scan_task = self.hass.async_create_task(self._async_scan())
        if not self._scan_task.done():
            return self.async_show_progress(
                step_id="scanning",
                progress_action="scanning",
                progress_task=self._scan_task,
                description_placeholders={
                    "first": str(self._scan_range.start),
                    "last": str(self._scan_range.stop - 1),
                },
            )
        try:
            self._scanned = self._scan_task.result()
        except BusUnreachableError:
            return self.async_show_progress_done(next_step_id="scan_failed")
        return self.async_show_progress_done(next_step_id="scan_result")

    async def async_step_scan_failed(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The bus could not be opened for the scan."""
        return self.async_abort(reason="cannot_connect")

    async def async_step_scan_result(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The meters that answered: add the chosen ones in one go."""
        if not self._scanned:
            return self.async_abort(
                reason="no_meters_found",
                description_placeholders={
                    "first": str(self._scan_range.start),
                    "last": str(self._scan_range.stop - 1),
                },
            )
        if user_input is not None:
            chosen = [m for m in self._scanned if str(m.address) in user_input[CONF_METERS]]
            if not chosen:
                return self.async_abort(reason="no_meters_chosen")
            entry = self._get_entry()
            meters = [_meter_data(_role_at(meter.address), meter) for meter in chosen]
            titles = [await self._title(data) for data in meters]
            # A flow creates one subentry; the others are added directly, all at once so
            # that the reload the first one starts sees every one of them.
            for data, title in zip(meters[:-1], titles[:-1], strict=True):
                self.hass.config_entries.async_add_subentry(
                    entry,
                    ConfigSubentry(
                        data=MappingProxyType(data),
                        subentry_type=SUBENTRY_KWH_METER,
                        title=title,
                        unique_id=None,
                    ),
                )
            return self.async_create_entry(title=titles[-1], data=meters[-1])
        options = [
            SelectOptionDict(value=str(meter.address), label=meter.label) for meter in self._scanned
        ]
        return self.async_show_form(
            step_id="scan_result",
            data_schema=probatio.Schema(
                {
                    probatio.Required(
                        CONF_METERS, default=[option["value"] for option in options]
                    ): SelectSelector(
                        SelectSelectorConfig(
                            options=options, multiple=True, mode=SelectSelectorMode.LIST
                        )
                    )
                }
            ),
            description_placeholders={"count": str(len(self._scanned))},
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
            if address in self._taken_addresses(excluding=subentry):
                errors[CONF_ADDRESS] = "address_in_use"
            else:
                found = await self._async_probe(
                    address, ModbusMeterModel(user_input[CONF_MODEL]), errors, placeholders
                )
                if found is not None:
                    role = Role(user_input[CONF_ROLE])
                    data = {**subentry.data, **_meter_data(role, found)}
                    self.hass.config_entries.async_update_subentry(
                        self._get_entry(), subentry, title=await self._title(data), data=data
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

    async def _async_scan(self) -> list[ModbusMeterFound]:
        async with async_bus_client(self._get_entry()) as client:
            return await async_scan(client, self._scan_range, self._taken_addresses())

    def _taken_addresses(self, excluding: ConfigSubentry | None = None) -> set[int]:
        return {
            int(subentry.data[CONF_ADDRESS])
            for subentry in self._get_entry().subentries.values()
            if subentry.subentry_type == SUBENTRY_KWH_METER
            and (excluding is None or subentry.subentry_id != excluding.subentry_id)
        }

    async def _title(self, data: dict[str, Any]) -> str:
        """The meter's name: its role in the user's language, and its address."""
        translations = await async_get_translations(
            self.hass, self.hass.config.language, "selector", [DOMAIN]
        )
        role = data[CONF_ROLE]
        role_name = translations.get(
            f"component.{DOMAIN}.selector.kwh_meter_role.options.{role}", role
        )
        return f"{role_name} · Modbus {data[CONF_ADDRESS]}"


def _meter_data(role: Role, found: ModbusMeterFound) -> dict[str, Any]:
    return {
        CONF_ROLE: role.value,
        CONF_ADDRESS: found.address,
        CONF_MODEL: found.model.value,
        CONF_REGISTER_MAP: found.family.value,
        CONF_SERIAL: found.serial,
    }


def _with_model(found: ModbusMeterFound, model: ModbusMeterModel) -> ModbusMeterFound:
    """The meter as the installer names it; a model without a known map keeps the probed one."""
    family = MODELS[model].family or found.family
    return ModbusMeterFound(found.address, model, family, found.serial, found.import_energy)


def _role_at(address: int) -> Role:
    """The role BeNext gives the meter at this address; any other is auxiliary."""
    for role, benext_address in BENEXT_MODBUS_ADDRESSES.items():
        if benext_address == address:
            return role
    return Role.AUXILIARY
