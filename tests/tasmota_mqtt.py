"""Home Assistant's MQTT integration, connected to a real mosquitto broker on loopback."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from homeassistant.components import mqtt
from homeassistant.const import CONF_PORT
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.p1_fixtures import GPLUGD_SENSOR
from tests.tasmota_peers import MosquittoBroker

# The device topic of the gPlugD whose SENSOR message GPLUGD_SENSOR is.
TOPIC = "gPlugD_4A2B"
SENSOR_TOPIC = f"tele/{TOPIC}/SENSOR"


async def async_setup_mqtt(hass: HomeAssistant, broker: MosquittoBroker) -> MockConfigEntry:
    """Set up the MQTT integration against `broker` and wait until it is connected."""
    entry = MockConfigEntry(
        domain=mqtt.DOMAIN,
        version=2,
        data={mqtt.CONF_BROKER: broker.host, CONF_PORT: broker.port},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    deadline = time.monotonic() + 5
    while not mqtt.is_connected(hass):
        assert time.monotonic() < deadline, "the MQTT integration did not connect"
        await asyncio.sleep(0.02)
    return entry


def sensor_message(**changes: float) -> str:
    """The gPlugD's SENSOR message, with some of its meter's fields changed."""
    payload: dict[str, Any] = json.loads(json.dumps(GPLUGD_SENSOR))
    payload["z"].update(changes)
    return json.dumps(payload)
