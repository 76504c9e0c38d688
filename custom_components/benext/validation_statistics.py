"""What each meter counted since the validation start, from the recorder's statistics."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from homeassistant.core import HomeAssistant

from .runtime import BeNextConfigEntry
from .validation_snapshot import MeterAmounts


async def async_meter_amounts(
    hass: HomeAssistant,
    entry: BeNextConfigEntry,
    validation_start: datetime,
    now: datetime,
    known: Mapping[str, MeterAmounts],
) -> dict[str, MeterAmounts]:
    """Each meter's amounts by subentry id; none yet."""
    return dict(known)
