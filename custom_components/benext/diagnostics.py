"""Diagnostics of an installation, with every address, key and serial number redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant

from .const import CONF_DEVICE, CONF_RADIO
from .modbus.coordinator import ModbusCoordinator
from .runtime import BeNextConfigEntry
from .wmbus.coordinator import WmbusCoordinator

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
    hub = entry.runtime_data
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
            "status": hub.status.value,
            "buses": {
                bus.value: {
                    "transport": coordinator.connection.transport.value,
                    "online": coordinator.last_update_success,
                    # The error's key, not its message: the message names hosts and ports.
                    "last_error": getattr(coordinator.last_exception, "translation_key", None),
                    "meters_read": len(coordinator.data.meters) if coordinator.data else 0,
                }
                for bus, coordinator in hub.buses.items()
            },
            "modbus": _modbus_diagnostics(hub.modbus) if hub.modbus is not None else None,
            "wmbus": _wmbus_diagnostics(hub.wmbus) if hub.wmbus is not None else None,
        },
        TO_REDACT,
    )


def _modbus_diagnostics(modbus: ModbusCoordinator) -> dict[str, Any]:
    """The RS485 bus's traffic, and how each meter is read and has answered."""
    return {
        "traffic": asdict(modbus.client.counters),
        "meters": {
            meter.subentry_id: {
                "address": meter.address,
                "register_map": meter.register_map.family if meter.register_map else None,
                "requests_per_poll": [
                    {
                        "table": block.table.name.lower(),
                        "address": block.address,
                        "count": block.count,
                    }
                    for block in (meter.reader.blocks if meter.reader else ())
                ],
                "available": modbus.meter_available(meter.subentry_id),
                "failed_polls_in_a_row": meter.failures,
                # Failed reads by kind, rejected readings of totals, replacements.
                "events": dict(meter.faults),
            }
            for meter in modbus.meters.values()
        },
    }


def _wmbus_diagnostics(wmbus: WmbusCoordinator) -> dict[str, Any]:
    """What became of the telegrams, and what each meter last sent (its id redacted)."""
    return {
        "telegrams": {outcome.value: count for outcome, count in wmbus.outcomes.items()},
        "unclaimed_meters_heard": len(wmbus.heard),
        "meters": {
            meter.subentry_id: {
                "driver": meter.settings.effective_driver,
                "heard_at": meter.heard_at.isoformat() if meter.heard_at else None,
                "wrong_key": meter.wrong_key,
                "fields": list(meter.settings.fields),
                "available": wmbus.is_current(meter),
            }
            for meter in wmbus.meters.values()
        },
    }
