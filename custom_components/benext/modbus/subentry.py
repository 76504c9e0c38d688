"""A kWh meter subentry as the flows make it: its data, its title, and the addresses taken."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import NumberSelector, NumberSelectorConfig, NumberSelectorMode
from homeassistant.helpers.translation import async_get_translations

from ..const import (
    CONF_ADDRESS,
    CONF_MODEL,
    CONF_REGISTER_MAP,
    CONF_ROLE,
    CONF_SERIAL,
    DOMAIN,
    SUBENTRY_KWH_METER,
)
from ..domain.roles import MODBUS_ADDRESS_MAX, MODBUS_ADDRESS_MIN, Role
from .probe import ModbusMeterFound

ADDRESS_SELECTOR = NumberSelector(
    NumberSelectorConfig(
        min=MODBUS_ADDRESS_MIN, max=MODBUS_ADDRESS_MAX, step=1, mode=NumberSelectorMode.BOX
    )
)


def meter_data(role: Role, found: ModbusMeterFound) -> dict[str, Any]:
    """The subentry data of the meter read, in its role."""
    return {
        CONF_ROLE: role.value,
        CONF_ADDRESS: found.address,
        CONF_MODEL: found.model.value,
        CONF_REGISTER_MAP: found.family.value,
        CONF_SERIAL: found.serial,
    }


def taken_addresses(entry: ConfigEntry, excluding: ConfigSubentry | None = None) -> set[int]:
    """The addresses of the installation's kWh meters, but the one being changed."""
    return {
        int(subentry.data[CONF_ADDRESS])
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_KWH_METER
        and (excluding is None or subentry.subentry_id != excluding.subentry_id)
    }


async def async_kwh_meter_title(hass: HomeAssistant, data: dict[str, Any]) -> str:
    """The meter's name: its role in the user's language, and its address."""
    translations = await async_get_translations(hass, hass.config.language, "selector", [DOMAIN])
    role = data[CONF_ROLE]
    role_name = translations.get(f"component.{DOMAIN}.selector.kwh_meter_role.options.{role}", role)
    return f"{role_name} · Modbus {data[CONF_ADDRESS]}"
