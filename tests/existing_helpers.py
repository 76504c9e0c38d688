"""Sensors of other integrations, and the installation's meters that follow them."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import DOMAIN, SUBENTRY_EXISTING_ENTITY

ROOM_SENSOR = "sensor.living_room_temperature"
HEAT_PUMP_ENERGY = "sensor.heat_pump_energy"
WATER_METER = "sensor.water_meter_volume"


def set_room_temperature(hass: HomeAssistant, value: str, unit: str = "°C") -> None:
    """The living room's temperature as a Z-Wave or Zigbee integration shows it."""
    hass.states.async_set(
        ROOM_SENSOR,
        value,
        {
            "device_class": "temperature",
            "unit_of_measurement": unit,
            "friendly_name": "Living room temperature",
        },
    )


def set_heat_pump_energy(hass: HomeAssistant, kwh: str) -> None:
    """A heat pump integration's energy total."""
    hass.states.async_set(
        HEAT_PUMP_ENERGY,
        kwh,
        {
            "device_class": "energy",
            "unit_of_measurement": "kWh",
            "state_class": "total_increasing",
            "friendly_name": "Heat pump energy",
        },
    )


def set_water_volume(hass: HomeAssistant, m3: str) -> None:
    """A water meter integration's volume total."""
    hass.states.async_set(
        WATER_METER,
        m3,
        {
            "device_class": "water",
            "unit_of_measurement": "m³",
            "state_class": "total_increasing",
            "friendly_name": "Water meter volume",
        },
    )


def existing_entity_subentry(
    entity: str, role: str, title: str, subentry_id: str = "room_sensor"
) -> dict[str, Any]:
    """An existing entity in a role, as its subentry flow stores it."""
    return {
        "subentry_id": subentry_id,
        "subentry_type": SUBENTRY_EXISTING_ENTITY,
        "title": title,
        "unique_id": entity,
        "data": {"entity_id": entity, "role": role},
    }


async def start_flow(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Click "Add an existing sensor" on the installation."""
    return dict(
        await hass.config_entries.subentries.async_init(
            (entry.entry_id, SUBENTRY_EXISTING_ENTITY), context={"source": SOURCE_USER}
        )
    )


async def submit(
    hass: HomeAssistant, result: dict[str, Any], user_input: dict[str, Any]
) -> dict[str, Any]:
    """Submit a step of the subentry flow."""
    return dict(await hass.config_entries.subentries.async_configure(result["flow_id"], user_input))


def tick(hass: HomeAssistant, subentry_id: str) -> State | None:
    """The product status sensor of a meter."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{subentry_id}_product_status"
    )
    return hass.states.get(entity_id) if entity_id else None
