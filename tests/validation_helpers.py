"""The `benext.validate` action as the tests call it."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from custom_components.benext.const import DOMAIN


async def validate(hass: HomeAssistant, entry_id: str) -> dict[str, Any]:
    """What `benext.validate` returns for the installation, without the first sightings.

    Each finding's `first_seen` (when its grace period began) is checked to be a moment,
    then dropped, so that a test compares what was found.
    """
    response = await hass.services.async_call(
        DOMAIN, "validate", {"config_entry_id": entry_id}, blocking=True, return_response=True
    )
    assert response is not None
    result = dict(response)
    for found in result["findings"]:
        assert dt_util.parse_datetime(found.pop("first_seen")) is not None
    return result
