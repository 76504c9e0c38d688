"""What the scans of the RS485 bus found, kept in the installation's data across restarts.

Both scans store here: the kWh meter flow's, and the one the coordinator makes when a
meter stops answering at its address. A scan replaces what earlier ones found at the
addresses it covered and keeps the rest. The hits live in the entry's data (under
CONF_MODBUS_SCAN, which the reload check ignores) rather than in a store of their own:
they are a few bytes, are written only when they change, and go with the entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from ..const import CONF_ADDRESS, CONF_MODBUS_SCAN, CONF_MODEL
from ..domain.modbus_meter_models import ModbusMeterModel
from ..domain.validation.snapshot import ScanHit


def stored_scan_hits(entry: ConfigEntry) -> tuple[ScanHit, ...]:
    """The meters the scans found, by address; what the data does not describe is left out."""
    hits = []
    for row in entry.data.get(CONF_MODBUS_SCAN, ()):
        hit = _hit(row)
        if hit is not None:
            hits.append(hit)
    return tuple(hits)


@callback
def async_store_scan_hits(
    hass: HomeAssistant, entry: ConfigEntry, scanned: Iterable[int], hits: Iterable[ScanHit]
) -> None:
    """Note what a scan of the `scanned` addresses found; nothing is written when it is known."""
    covered = set(scanned)
    kept = [hit for hit in stored_scan_hits(entry) if hit.address not in covered]
    merged = sorted({*kept, *hits}, key=lambda hit: hit.address)
    rows = [{CONF_ADDRESS: hit.address, CONF_MODEL: hit.model} for hit in merged]
    if rows != entry.data.get(CONF_MODBUS_SCAN, []):
        hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_MODBUS_SCAN: rows})


def _hit(row: Any) -> ScanHit | None:
    if not isinstance(row, dict):
        return None
    address, model = row.get(CONF_ADDRESS), row.get(CONF_MODEL)
    if not isinstance(address, int) or model not in ModbusMeterModel:
        return None
    return ScanHit(address, str(model))
