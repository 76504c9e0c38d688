"""What the integration knows of an entity another integration provides: its class and name."""

from __future__ import annotations

from homeassistant.components.sensor import DOMAIN as SENSOR_DOMAIN
from homeassistant.const import ATTR_DEVICE_CLASS
from homeassistant.core import HomeAssistant, split_entity_id
from homeassistant.helpers import entity_registry as er


def stored_entity(hass: HomeAssistant, entity_id: str) -> str:
    """How a subentry refers to the entity: its registry id, else (unregistered) its entity id."""
    entry = er.async_get(hass).async_get(entity_id)
    return entry.id if entry is not None else entity_id


def current_entity_id(hass: HomeAssistant, entity: str) -> str | None:
    """The entity id that a stored reference names now; None when the entity was deleted."""
    return er.async_resolve_entity_id(er.async_get(hass), entity)


def sensor_device_class(hass: HomeAssistant, entity_id: str) -> str | None:
    """The device class of a sensor, as its state or else its registry entry tells it."""
    if split_entity_id(entity_id)[0] != SENSOR_DOMAIN:
        return None
    if (state := hass.states.get(entity_id)) is not None and (
        device_class := state.attributes.get(ATTR_DEVICE_CLASS)
    ):
        return str(device_class)
    entry = er.async_get(hass).async_get(entity_id)
    if entry is None:
        return None
    return entry.device_class or entry.original_device_class


def entity_name(hass: HomeAssistant, entity_id: str) -> str:
    """The entity's name as Home Assistant shows it."""
    if (state := hass.states.get(entity_id)) is not None:
        return state.name
    entry = er.async_get(hass).async_get(entity_id)
    name = (entry.name or entry.original_name) if entry is not None else None
    return name or entity_id
