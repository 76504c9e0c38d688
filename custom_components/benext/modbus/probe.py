"""Find out what answers at an address of the RS485 bus, before a meter is saved."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry, ConfigEntryState

from ..bus.connection import Bus, BusConnection
from ..bus.modbus.client import MeterReadError, ModbusBusClient, ReadFault
from ..bus.modbus.detection import async_detect
from ..bus.modbus.quantities import Quantity
from ..bus.modbus.reader import ModbusMeterReader
from ..bus.modbus.register_maps import REGISTER_MAPS, MapFamily
from ..bus.modbus.scan import ScannedMeter, async_scan_bus
from ..domain.modbus_meter_models import DETECTED_MODEL, MODELS, ModbusMeterModel
from .coordinator import ModbusCoordinator


@dataclass(frozen=True, slots=True)
class ModbusMeterFound:
    """A meter that answered: its (suggested) model, register map, serial and a reading."""

    address: int
    model: ModbusMeterModel
    family: MapFamily
    serial: str | None
    import_energy: float | None

    @property
    def label(self) -> str:
        """Manufacturer, model and serial number, as on the meter's label."""
        info = MODELS[self.model]
        serial = f" · {self.serial}" if self.serial else ""
        return f"Modbus {self.address} · {info.manufacturer} {info.name}{serial}"


class ProbeError(Exception):
    """Nothing usable answered; `reason` is the flow's error key."""

    def __init__(self, reason: str, detected: str = "") -> None:
        """Initialize with the error key, and the model that answered instead, if any."""
        super().__init__(reason)
        self.reason = reason
        self.detected = detected


@asynccontextmanager
async def async_bus_client(entry: ConfigEntry) -> AsyncIterator[ModbusBusClient]:
    """The running bus's client, or, while the installation is not running, a new one.

    Raises BusUnreachableError when the bus cannot be opened.
    """
    if entry.state is ConfigEntryState.LOADED and (
        modbus := entry.runtime_data.coordinator(ModbusCoordinator)
    ):
        client: ModbusBusClient = modbus.client
        await client.async_connect()
        yield client
        return
    client = ModbusBusClient(BusConnection.from_dict(Bus.MODBUS, entry.data[Bus.MODBUS]))
    try:
        await client.async_connect()
        yield client
    finally:
        client.close()


async def async_probe(
    client: ModbusBusClient, address: int, model: ModbusMeterModel
) -> ModbusMeterFound:
    """Read the meter at `address` as `model`, or identify it when its map is unknown."""
    family = None if model is ModbusMeterModel.DETECT else MODELS[model].family
    if family is not None:
        try:
            return await _async_read_as(client, address, model, family)
        except MeterReadError as err:
            if err.fault is ReadFault.NO_ANSWER:
                raise ProbeError("no_answer") from err
        # Something answered, but not as this model: say what it is.
        found = await async_probe(client, address, ModbusMeterModel.DETECT)
        info = MODELS[found.model]
        raise ProbeError("model_mismatch", f"{info.manufacturer} {info.name}")
    try:
        detected = await async_detect(client, address)
    except MeterReadError as err:
        raise ProbeError(
            "no_answer" if err.fault is ReadFault.NO_ANSWER else "not_a_kwh_meter"
        ) from err
    family = detected.register_map.family
    return ModbusMeterFound(
        address=address,
        model=DETECTED_MODEL[family] if model is ModbusMeterModel.DETECT else model,
        family=family,
        serial=detected.serial,
        import_energy=detected.import_energy,
    )


async def async_scan(
    client: ModbusBusClient, addresses: range, skip: set[int]
) -> list[ModbusMeterFound]:
    """Every kWh meter that answers in `addresses`, except those at `skip`, as detected."""
    scanned = await async_scan_bus(
        client, (address for address in addresses if address not in skip)
    )
    return [_found_meter(meter) for meter in scanned]


def _found_meter(scanned: ScannedMeter) -> ModbusMeterFound:
    """A meter a scan found, with the model its register map suggests."""
    detection = scanned.detection
    family = detection.register_map.family
    return ModbusMeterFound(
        address=scanned.address,
        model=DETECTED_MODEL[family],
        family=family,
        serial=detection.serial,
        import_energy=detection.import_energy,
    )


async def _async_read_as(
    client: ModbusBusClient, address: int, model: ModbusMeterModel, family: MapFamily
) -> ModbusMeterFound:
    reader = ModbusMeterReader(client, address, REGISTER_MAPS[family], [Quantity.IMPORT_ENERGY])
    values = await reader.async_read_values()
    serial = await reader.async_read_serial()
    return ModbusMeterFound(address, model, family, serial, values.get(Quantity.IMPORT_ENERGY))
