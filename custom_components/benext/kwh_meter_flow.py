"""Subentry flow of a kWh meter on the installation's RS485 Modbus bus."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentry, ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
from homeassistant.helpers.translation import async_get_translations
import probatio

from .bus.connection import Bus
from .const import CONF_ADDRESS, CONF_MODEL, CONF_ROLE, DOMAIN, SUBENTRY_KWH_METER
from .domain.kwh_meter_models import KwhMeterModel
from .domain.roles import (
    KWH_METER_ROLES,
    MODBUS_ADDRESS_MAX,
    MODBUS_ADDRESS_MIN,
    Role,
    default_modbus_address,
)

ROLE_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[role.value for role in KWH_METER_ROLES],
        translation_key="kwh_meter_role",
        mode=SelectSelectorMode.LIST,
    )
)
MODEL_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[model.value for model in KwhMeterModel],
        translation_key="kwh_meter_model",
        mode=SelectSelectorMode.DROPDOWN,
    )
)
ADDRESS_SELECTOR = NumberSelector(
    NumberSelectorConfig(
        min=MODBUS_ADDRESS_MIN, max=MODBUS_ADDRESS_MAX, step=1, mode=NumberSelectorMode.BOX
    )
)


class KwhMeterSubentryFlow(ConfigSubentryFlow):
    """Add or change a kWh meter: its role, Modbus address and model."""

    def __init__(self) -> None:
        """Start a flow; the user step sets the role."""
        self._role = Role.AUXILIARY

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Choose what the meter measures."""
        if Bus.MODBUS not in self._get_entry().data:
            return self.async_abort(reason="modbus_not_configured")
        if user_input is not None:
            self._role = Role(user_input[CONF_ROLE])
            return await self.async_step_meter()
        return self.async_show_form(
            step_id="user",
            data_schema=probatio.Schema({probatio.Required(CONF_ROLE): ROLE_SELECTOR}),
        )

    async def async_step_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The meter's Modbus address and model."""
        errors: dict[str, str] = {}
        if user_input is not None:
            address = int(user_input[CONF_ADDRESS])
            if address in self._taken_addresses():
                errors[CONF_ADDRESS] = "address_in_use"
            else:
                data = {
                    CONF_ROLE: self._role.value,
                    CONF_ADDRESS: address,
                    CONF_MODEL: user_input[CONF_MODEL],
                }
                return self.async_create_entry(title=await self._title(data), data=data)

        default_address = default_modbus_address(self._role, self._taken_addresses())
        if default_address is None:
            return self.async_abort(reason="bus_full")
        schema = probatio.Schema(
            {
                probatio.Required(CONF_ADDRESS, default=default_address): ADDRESS_SELECTOR,
                probatio.Required(CONF_MODEL, default=KwhMeterModel.DETECT.value): MODEL_SELECTOR,
            }
        )
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(step_id="meter", data_schema=schema, errors=errors)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a meter's role, address or model."""
        subentry = self._get_reconfigure_subentry()
        errors: dict[str, str] = {}
        if user_input is not None:
            address = int(user_input[CONF_ADDRESS])
            if address in self._taken_addresses(excluding=subentry):
                errors[CONF_ADDRESS] = "address_in_use"
            else:
                data = {
                    CONF_ROLE: user_input[CONF_ROLE],
                    CONF_ADDRESS: address,
                    CONF_MODEL: user_input[CONF_MODEL],
                }
                return self.async_update_and_abort(
                    self._get_entry(), subentry, title=await self._title(data), data=data
                )
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
        )

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
