"""Identify a meter by probing: which register family answers with plausible values."""

from __future__ import annotations

from dataclasses import dataclass

from .client import MeterReadError, ModbusBusClient, ReadFault
from .decode import decode_value
from .quantities import Quantity
from .reader import ModbusMeterReader
from .register_maps import (
    EASTRON_1P,
    EASTRON_3P,
    INEPRO_1P,
    INEPRO_3P,
    INEPRO_4PS,
    Register,
    RegisterMap,
    Table,
)

# Phase voltages of a meter in a Dutch, Swiss or German home.
PLAUSIBLE_VOLTAGE = (150.0, 280.0)
# The 4PS's tariff word (WAGO 879 manual): a meter without tariffs has no register there.
_TARIFF_WORD = INEPRO_4PS.registers[Quantity.ACTIVE_TARIFF]


@dataclass(frozen=True, slots=True)
class ModbusDetection:
    """What answered at an address: its register map, serial number, and a reading."""

    register_map: RegisterMap
    serial: str | None
    import_energy: float | None


async def async_detect(client: ModbusBusClient, device_id: int) -> ModbusDetection:
    """Probe the meter at `device_id`.

    Eastron meters keep their voltages in input registers from 0x0000; Inepro-built
    meters in holding registers from 0x5000 (0x5000 on one phase, 0x5002.. on three).
    Raises MeterReadError (no_answer) when no family answers with a plausible voltage.
    """
    faults: list[MeterReadError] = []
    for probe in (_probe_eastron, _probe_inepro):
        try:
            register_map = await probe(client, device_id)
        except MeterReadError as err:
            faults.append(err)
            continue
        if register_map is not None:
            return await _describe(client, device_id, register_map)
    # Exceptions mean something answered, just not as a kWh meter we know.
    if any(err.fault is not ReadFault.NO_ANSWER for err in faults):
        raise MeterReadError(ReadFault.EXCEPTION, f"address {device_id}: not a known kWh meter")
    raise MeterReadError(ReadFault.NO_ANSWER, f"address {device_id}: no answer")


async def _probe_eastron(client: ModbusBusClient, device_id: int) -> RegisterMap | None:
    words = await client.async_read(device_id, Table.INPUT, 0x0000, 6)
    voltages = [_voltage(words[i : i + 2]) for i in (0, 2, 4)]
    if not _plausible(voltages[0]):
        return None
    return EASTRON_3P if all(_plausible(v) for v in voltages[1:]) else EASTRON_1P


async def _probe_inepro(client: ModbusBusClient, device_id: int) -> RegisterMap | None:
    words = await client.async_read(device_id, Table.HOLDING, 0x5000, 4)
    single_phase, phase_1 = _voltage(words[0:2]), _voltage(words[2:4])
    if _plausible(phase_1):
        try:
            await client.async_read(device_id, Table.HOLDING, _TARIFF_WORD.address, 1)
        except MeterReadError as err:
            if err.fault is not ReadFault.EXCEPTION:
                raise
            return INEPRO_3P
        return INEPRO_4PS
    return INEPRO_1P if _plausible(single_phase) else None


async def _describe(
    client: ModbusBusClient, device_id: int, register_map: RegisterMap
) -> ModbusDetection:
    reader = ModbusMeterReader(client, device_id, register_map, [Quantity.IMPORT_ENERGY])
    serial = await reader.async_read_serial()
    values = await reader.async_read_values()
    return ModbusDetection(register_map, serial, values.get(Quantity.IMPORT_ENERGY))


def _voltage(words: list[int]) -> float | None:
    return decode_value(Register(0), words)


def _plausible(voltage: float | None) -> bool:
    return voltage is not None and PLAUSIBLE_VOLTAGE[0] <= voltage <= PLAUSIBLE_VOLTAGE[1]
