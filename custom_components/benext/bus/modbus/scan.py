"""Which addresses of the RS485 bus answer, and what kWh meter answers there."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import logging

from .client import MeterReadError, ModbusBusClient, ReadFault
from .detection import ModbusDetection, async_detect
from .register_maps import Table

_LOGGER = logging.getLogger(__name__)

# An address where nothing is connected costs this long when the bus is scanned.
SCAN_WAIT = 0.5


@dataclass(frozen=True, slots=True)
class ScannedMeter:
    """A kWh meter that answered a scan at `address`."""

    address: int
    detection: ModbusDetection


async def async_scan_bus(client: ModbusBusClient, addresses: Iterable[int]) -> list[ScannedMeter]:
    """Every known kWh meter that answers at one of `addresses`, one address after the other.

    Each request holds the client only for itself, so a bus that is being polled goes on
    being polled meanwhile. Raises BusUnreachableError when the bus cannot be opened.
    """
    found = []
    for address in addresses:
        if not await _async_answers(client, address):
            continue
        try:
            detection = await async_detect(client, address)
        except MeterReadError as err:
            _LOGGER.debug("Bus scan: no kWh meter at address %s (%s)", address, err.detail)
            continue
        found.append(ScannedMeter(address, detection))
    return found


async def _async_answers(client: ModbusBusClient, address: int) -> bool:
    """Whether a device answers at `address`: any answer, a Modbus exception too."""
    try:
        await client.async_read(address, Table.INPUT, 0x0000, 2, wait=SCAN_WAIT)
    except MeterReadError as err:
        if err.fault is ReadFault.NO_ANSWER:
            # Most addresses of a bus are empty: expected, not worth more than debug.
            _LOGGER.debug("Bus scan: nothing answers at address %s (%s)", address, err.detail)
            return False
    return True
