"""Diagnostics of an installation, with every address, key and serial number redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant

from .const import CONF_DEVICE, CONF_RADIO
from .derived_inputs import derived_inputs, missing_inputs
from .meter_buses import METER_BUSES
from .runtime import BeNextConfigEntry

TO_REDACT = {
    CONF_HOST,
    CONF_DEVICE,
    CONF_RADIO,
    "key",
    "meter_id",
    "serial",
    "serial_number",
    "token",
    # A Tasmota reader's MQTT topic: by default it ends in the device's MAC address.
    "topic",
    "webhook_id",
    "title",
    "unique_id",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: BeNextConfigEntry
) -> dict[str, Any]:
    """Diagnostics for a config entry."""
    runtime = entry.runtime_data
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "meters": [
                {
                    "type": subentry.subentry_type,
                    "title": subentry.title,
                    "unique_id": subentry.unique_id,
                    "data": dict(subentry.data),
                }
                for subentry in entry.subentries.values()
            ],
            "status": runtime.status.value,
            "validation": runtime.validation.as_dict(),
            # The derived sensors not created, and the meters' roles they lack.
            "derived_sensors_missing": missing_inputs(derived_inputs(entry)),
            "buses": {
                bus.value: {
                    "transport": coordinator.connection.transport.value,
                    "online": coordinator.last_update_success,
                    # The error's key, not its message: the message names hosts and ports.
                    "last_error": getattr(coordinator.last_exception, "translation_key", None),
                    "meters_read": len(coordinator.data.meters) if coordinator.data else 0,
                    **METER_BUSES[bus].diagnostics(coordinator),
                }
                for bus, coordinator in runtime.buses.items()
            },
        },
        TO_REDACT,
    )
