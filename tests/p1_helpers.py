"""The smart meter of a test installation: its subentry and its sensors' states."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er

from custom_components.benext.bus.p1.detection import detect
from custom_components.benext.const import DOMAIN
from custom_components.benext.p1.settings import settings_from_detected

SUBENTRY_ID = "smart_meter"


def smart_meter_subentry(telegram: bytes, version: Any = None) -> dict[str, Any]:
    """The smart meter found in `telegram`, as the installation's flow stores it."""
    meter = detect(telegram)
    assert meter is not None
    settings = settings_from_detected(meter, version or meter.version, None)
    return {
        "subentry_id": SUBENTRY_ID,
        "subentry_type": "smart_meter",
        "title": "Smart meter · P1",
        "unique_id": settings.serial,
        "data": settings.as_data(),
    }


def state_of(hass: HomeAssistant, key: str) -> State | None:
    """The state of the smart meter's sensor `key`."""
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{SUBENTRY_ID}_{key}")
    return hass.states.get(entity_id) if entity_id else None


async def wait_for(hass: HomeAssistant, key: str, value: str, seconds: float = 5) -> None:
    """Wait on the real clock until the sensor shows `value`."""
    deadline = time.monotonic() + seconds
    while (state := state_of(hass, key)) is None or state.state != value:
        assert time.monotonic() < deadline, f"{key} is {state and state.state}, not {value}"
        await asyncio.sleep(0.02)
