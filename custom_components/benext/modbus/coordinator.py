"""The RS485 bus's coordinator: polls every kWh meter, each with its own health and back-off."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util

from ..bus.connection import BusConnection
from ..bus.modbus.client import MeterReadError, ModbusBusClient, ReadFault
from ..bus.modbus.detection import async_detect
from ..bus.modbus.quantities import ENERGY_TOTALS, Quantity
from ..bus.modbus.reader import ModbusMeterReader
from ..bus.modbus.register_maps import RegisterMap
from ..bus.modbus.scan import async_scan_bus
from ..bus.reachability import BusUnreachableError
from ..const import CONF_SERIAL, DOMAIN, LOGGER
from ..coordinator import BusCoordinator, BusState, MeterReading
from ..domain.modbus_meter_models import DETECTED_MODEL
from ..domain.physical_bounds import KWH_METER_MAX_KW
from ..domain.roles import MODBUS_ADDRESS_MIN
from ..domain.validation.snapshot import ScanHit
from .scan_hits import async_store_scan_hits, stored_scan_hits

# The values behind BeNext's tick, always read: they show the meter is in use.
MAIN_QUANTITIES: tuple[Quantity, ...] = (
    Quantity.POWER,
    Quantity.IMPORT_ENERGY,
    Quantity.EXPORT_ENERGY,
)
# A lost meter is tried again after 1, 2, 4, ... polls, at most this long apart.
MAX_BACKOFF = timedelta(minutes=5)
# Where a meter that stopped answering at its address is looked for: BeNext's addresses
# and the next few, and 1, where a meter answers out of its box. At most 5 s of silence.
LOST_METER_SCAN = range(MODBUS_ADDRESS_MIN, 11)


@dataclass(slots=True)
class PolledMeter:
    """A kWh meter on the bus: where it is, what is read from it, and how it answers."""

    subentry_id: str
    name: str
    address: int
    # None until a meter of unknown model has been probed.
    register_map: RegisterMap | None
    serial: str | None
    # What each enabled entity needs read.
    needs: dict[object, frozenset[Quantity]] = field(default_factory=dict)
    reader: ModbusMeterReader | None = None
    failures: int = 0
    backoff: int = 0
    skip_polls: int = 0
    serial_checked: bool = False
    faults: Counter[str] = field(default_factory=Counter)

    @property
    def quantities(self) -> frozenset[Quantity]:
        """Everything that is read from the meter each poll."""
        return frozenset(MAIN_QUANTITIES).union(*self.needs.values())


class ModbusCoordinator(BusCoordinator):
    """Polls the kWh meters of the RS485 bus through the bus's one client.

    A meter that does not answer is marked unavailable after `failed_polls_limit`
    polls in a row, then tried with back-off, so a dead meter costs the others at
    most one timeout now and then. A connection dropped while a meter is asked is that
    meter's failed poll, and is opened again for the next meter; only a connection that
    cannot be opened makes the bus unreachable. When a meter is lost, the bus is scanned
    once, between the polls, for a meter answering at an address no meter has (a wrong
    address set on the meter or in its settings).
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        connection: BusConnection,
        update_interval: timedelta,
        *,
        client: ModbusBusClient,
        meters: Iterable[PolledMeter],
        failed_polls_limit: int,
    ) -> None:
        """Initialize the coordinator of the RS485 bus."""
        super().__init__(hass, entry, connection, update_interval)
        self.client = client
        self.meters = {meter.subentry_id: meter for meter in meters}
        for meter in self.meters.values():
            self._replan(meter)
        self.failed_polls_limit = failed_polls_limit
        # An entity needs a value that the last poll did not read.
        self.unread_needs = False
        self._max_skip = max(1, int(MAX_BACKOFF / update_interval))
        # The lost meters a scan has looked for, and the scan running, if any.
        self._looked_for: set[str] = set()
        self._scan: asyncio.Task[None] | None = None

    @property
    def scan_hits(self) -> tuple[ScanHit, ...]:
        """The meters the last scans found, by address: the flow's and the coordinator's."""
        return stored_scan_hits(self.config_entry)

    async def async_shutdown(self) -> None:
        """Close the bus's connection when the installation is unloaded."""
        await super().async_shutdown()
        self.client.close()

    def meter_available(self, subentry_id: str) -> bool:
        """Whether the bus answers, and the meter within its last `failed_polls_limit` polls."""
        meter = self.meters.get(subentry_id)
        return (
            self.last_update_success
            and meter is not None
            and meter.failures < self.failed_polls_limit
        )

    @callback
    def async_add_need(
        self, subentry_id: str, owner: object, quantities: Iterable[Quantity]
    ) -> CALLBACK_TYPE:
        """Read `quantities` of a meter from now on, until the returned callback is called."""
        meter = self.meters[subentry_id]
        before = meter.quantities
        meter.needs[owner] = frozenset(quantities)
        self._replan(meter)
        if not meter.quantities <= before:
            self.unread_needs = True

        @callback
        def remove_need() -> None:
            meter.needs.pop(owner, None)
            self._replan(meter)

        return remove_need

    def total_limit(self, key: str) -> float | None:
        """The energy registers are totals, at a home's largest rate."""
        return KWH_METER_MAX_KW if key in ENERGY_TOTALS else None

    async def _async_update_data(self) -> BusState:
        self.unread_needs = False
        try:
            await self.client.async_connect()
        except BusUnreachableError as err:
            raise self._unreachable(err) from err
        for meter in self.meters.values():
            if meter.skip_polls > 0:
                meter.skip_polls -= 1
                continue
            try:
                reading = await self._async_poll(meter)
            except MeterReadError as err:
                self._meter_failed(meter, err)
                continue
            except BusUnreachableError as err:
                # The connection could not be opened again; the next poll tries anew.
                self.client.close()
                raise self._unreachable(err) from err
            self._meter_answered(meter)
            if refused := self.async_publish(meter.subentry_id, reading):
                for rejection in refused.values():
                    meter.faults[rejection.value] += 1
                # A drop may be a replaced meter: its serial number is read again.
                meter.serial_checked = False
        self._look_for_lost_meters()
        return self._current_state()

    def _look_for_lost_meters(self) -> None:
        """Scan the bus once for each meter that stopped answering: it may answer elsewhere."""
        lost = {
            meter.subentry_id
            for meter in self.meters.values()
            if meter.failures >= self.failed_polls_limit
        }
        # A meter that answers again is looked for again should it be lost again.
        self._looked_for &= lost
        if lost <= self._looked_for or (self._scan is not None and not self._scan.done()):
            return
        self._looked_for |= lost
        self._scan = self.config_entry.async_create_background_task(
            self.hass, self._async_scan_for_lost_meters(), f"{self.name} scan for lost meters"
        )

    async def _async_scan_for_lost_meters(self) -> None:
        claimed = {meter.address for meter in self.meters.values()}
        try:
            scanned = await async_scan_bus(
                self.client, (address for address in LOST_METER_SCAN if address not in claimed)
            )
        except BusUnreachableError as err:
            LOGGER.debug("No scan for lost meters: %s", err.detail)
            return
        hits = [
            ScanHit(meter.address, DETECTED_MODEL[meter.detection.register_map.family].value)
            for meter in scanned
        ]
        for hit in hits:
            LOGGER.info(
                "Looking for a lost kWh meter: a %s answers at address %s", hit.model, hit.address
            )
        async_store_scan_hits(self.hass, self.config_entry, LOST_METER_SCAN, hits)

    async def _async_poll(self, meter: PolledMeter) -> MeterReading:
        if meter.reader is None:
            detected = await async_detect(self.client, meter.address)
            meter.register_map = detected.register_map
            self._replan(meter)
        reader = meter.reader
        if reader is None:
            raise MeterReadError(ReadFault.EXCEPTION, f"address {meter.address}: no register map")
        if not meter.serial_checked:
            await self._async_check_serial(meter, reader)
        values = await reader.async_read_values()
        return MeterReading(
            read_at=dt_util.utcnow(),
            values={quantity.value: value for quantity, value in values.items()},
            main_values=tuple(values.get(quantity) for quantity in MAIN_QUANTITIES),
            serial=meter.serial,
        )

    async def _async_check_serial(self, meter: PolledMeter, reader: ModbusMeterReader) -> None:
        serial = await reader.async_read_serial()
        meter.serial_checked = True
        if serial is None or serial == meter.serial:
            return
        if meter.serial is not None:
            meter.faults["replaced"] += 1
            LOGGER.warning(
                "%s: another meter answers at address %s (serial number %s, was %s); "
                "its totals start from its own reading",
                meter.name,
                meter.address,
                serial,
                meter.serial,
            )
        meter.serial = serial
        if subentry := self.config_entry.subentries.get(meter.subentry_id):
            self.hass.config_entries.async_update_subentry(
                self.config_entry, subentry, data={**subentry.data, CONF_SERIAL: serial}
            )
        registry = dr.async_get(self.hass)
        if device := registry.async_get_device_by_identifier(
            (DOMAIN, meter.subentry_id), self.config_entry.entry_id
        ):
            registry.async_update_device(device.id, serial_number=serial)

    def _meter_failed(self, meter: PolledMeter, err: MeterReadError) -> None:
        meter.faults[err.fault.value] += 1
        meter.failures += 1
        if meter.failures == self.failed_polls_limit:
            LOGGER.warning(
                "%s stopped answering at address %s: %s", meter.name, meter.address, err.detail
            )
        if meter.failures >= self.failed_polls_limit:
            meter.skip_polls = min(2**meter.backoff, self._max_skip) - 1
            meter.backoff += 1

    def _meter_answered(self, meter: PolledMeter) -> None:
        if meter.failures >= self.failed_polls_limit:
            LOGGER.info("%s answers again at address %s", meter.name, meter.address)
        if meter.failures:
            # A meter that was gone may have been swapped for another.
            meter.serial_checked = False
        meter.failures = meter.backoff = meter.skip_polls = 0

    def _replan(self, meter: PolledMeter) -> None:
        if meter.register_map is not None:
            meter.reader = ModbusMeterReader(
                self.client, meter.address, meter.register_map, meter.quantities
            )
