"""Check a running simulated home with real clients: `python -m simulated_home.check`.

P1: reads telegrams off the TCP stream with dsmr_parser's own buffer and parses each
with the DSMR 5 specification (CRC checked). Modbus: reads every kWh meter's voltage,
frequency, energy totals and serial number with a pymodbus client, from the registers
its model keeps them in, and checks they are plausible. Exits non-zero on a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys

from dsmr_parser import telegram_specifications
from dsmr_parser.clients.telegram_buffer import TelegramBuffer
from dsmr_parser.parsers import TelegramParser
from pymodbus.client import AsyncModbusTcpClient

from . import endpoints


async def check_p1(host: str, port: int, count: int) -> None:
    parser = TelegramParser(telegram_specifications.V5)
    buffer = TelegramBuffer()
    reader, writer = await asyncio.open_connection(host, port)
    seen = 0
    try:
        async with asyncio.timeout(count + 5):
            while seen < count:
                data = await reader.read(4096)
                if not data:
                    raise ConnectionError("P1 peer closed the connection")
                buffer.append(data.decode("ascii"))
                for text in buffer.get_all():
                    telegram = parser.parse(text)  # raises on a bad CRC or format
                    seen += 1
                    print(
                        f"P1 telegram {seen}: {telegram.P1_MESSAGE_TIMESTAMP.value.isoformat()}"
                        f" import {telegram.CURRENT_ELECTRICITY_USAGE.value} kW"
                        f" export {telegram.CURRENT_ELECTRICITY_DELIVERY.value} kW,"
                        f" totals T1 {telegram.ELECTRICITY_USED_TARIFF_1.value}"
                        f" T2 {telegram.ELECTRICITY_USED_TARIFF_2.value} kWh,"
                        f" gas {telegram.MBUS_DEVICES[0].MBUS_METER_READING.value} m3"
                    )
    finally:
        writer.close()


# Where a model keeps what the check reads, float32 each: function code, then the
# addresses of voltage (L1), frequency, import and export energy, and of the serial number.
_EASTRON = (4, 0x0000, 0x0046, 0x0048, 0x004A, 0xFC00)
_INEPRO_3_PHASE = (3, 0x5002, 0x5008, 0x600C, 0x6018, 0x4000)
_INEPRO_1_PHASE = (3, 0x5000, 0x5008, 0x600C, 0x6018, 0x4000)
_REGISTERS = {
    "eastron_sdm630": _EASTRON,
    "eastron_sdm220": _EASTRON,
    "eastron_sdm120": _EASTRON,
    "inepro_pro380": _INEPRO_3_PHASE,
    "inepro_4ps": _INEPRO_3_PHASE,
    "inepro_pro1": _INEPRO_1_PHASE,
}


async def _read(
    client: AsyncModbusTcpClient, device_id: int, function_code: int, address: int, count: int
) -> list[int]:
    read = client.read_input_registers if function_code == 4 else client.read_holding_registers
    response = await read(address, count=count, device_id=device_id)
    if response.isError():
        raise RuntimeError(f"device {device_id} FC{function_code:02d} {address:#06x}: {response}")
    return list(response.registers)


async def _check_meter(client: AsyncModbusTcpClient, device_id: int, role: str, model: str) -> None:
    function_code, *addresses, serial_address = _REGISTERS[model]
    values = [
        client.convert_from_registers(
            await _read(client, device_id, function_code, address, 2), client.DATATYPE.FLOAT32
        )
        for address in addresses
    ]
    voltage, frequency, imported, exported = (
        value if isinstance(value, float) else math.nan for value in values
    )
    serial = client.convert_from_registers(
        await _read(client, device_id, 3, serial_address, 2), client.DATATYPE.UINT32
    )
    # Eastron shows its serial number in decimal, Inepro in hexadecimal.
    shown = f"{serial}" if model.startswith("eastron") else f"{serial:08X}"
    print(
        f"Modbus device {device_id} {role} ({model}, serial {shown}):"
        f" {voltage:.1f} V, {frequency:.2f} Hz,"
        f" import {imported:.3f} kWh, export {exported:.3f} kWh"
    )
    if not 207 <= voltage <= 253 or not 49.8 <= frequency <= 50.2:
        raise RuntimeError(f"device {device_id}: implausible grid values")
    if not (math.isfinite(imported) and math.isfinite(exported)) or min(imported, exported) < 0:
        raise RuntimeError(f"device {device_id}: implausible energy totals")
    # Every meter of the simulated home starts from a total of hundreds of kWh.
    if imported + exported < 1:
        raise RuntimeError(f"device {device_id}: energy totals are zero")


async def check_modbus(host: str, port: int) -> None:
    client = AsyncModbusTcpClient(host, port=port)
    if not await client.connect():
        raise ConnectionError(f"no Modbus TCP server at {host}:{port}")
    try:
        for device_id, (role, model) in endpoints.KWH_METERS.items():
            await _check_meter(client, device_id, role, model)
    finally:
        client.close()


async def _main() -> None:
    parser = argparse.ArgumentParser(prog="python -m simulated_home.check")
    parser.add_argument("--host", default=endpoints.HOST)
    parser.add_argument("--p1-port", type=int, default=endpoints.P1_PORT)
    parser.add_argument("--modbus-port", type=int, default=endpoints.MODBUS_PORT)
    parser.add_argument("--telegrams", type=int, default=5)
    args = parser.parse_args()
    await check_modbus(args.host, args.modbus_port)
    await check_p1(args.host, args.p1_port, args.telegrams)


if __name__ == "__main__":
    try:
        asyncio.run(_main())
    except Exception as err:  # a check reports any failure
        print(f"FAILED: {type(err).__name__}: {err}", file=sys.stderr)
        sys.exit(1)
    print("OK")
