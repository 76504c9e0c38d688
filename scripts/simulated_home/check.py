"""Check a running simulated home with real clients: `python -m simulated_home.check`.

P1: reads telegrams off the TCP stream with dsmr_parser's own buffer and parses each
with the DSMR 5 specification (CRC checked). Modbus: reads every kWh meter's voltage,
frequency, energy totals and serial number with a pymodbus client, from the registers
its model keeps them in, and checks they are plausible. wM-Bus, which posts instead of
answering: decodes each meter's telegram of this moment with the real wmbusmeters and
checks its values; then, if Home Assistant runs, posts one of them to the demo
installation's webhook as the simulated home's wmbusmeters does, and checks that it is
accepted. Exits non-zero on a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import shutil
import sys
import time
from typing import Any

import aiohttp
from dsmr_parser import telegram_specifications
from dsmr_parser.clients.telegram_buffer import TelegramBuffer
from dsmr_parser.parsers import TelegramParser
from pymodbus.client import AsyncModbusTcpClient

from . import endpoints, wmbus_telegrams


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


async def decode_wmbus(meter: wmbus_telegrams.SimulatedWmbusMeter, ts: float) -> dict[str, Any]:
    """The JSON that wmbusmeters prints for the meter's telegram at an instant."""
    process = await asyncio.create_subprocess_exec(
        "wmbusmeters",
        "--format=json",
        meter.telegram(ts).hex().upper(),
        meter.role,
        meter.driver,
        meter.meter_id,
        "NOKEY",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    if not out.strip():
        raise RuntimeError(f"wmbusmeters decoded nothing for {meter.meter_id}: {err.decode()}")
    decoded: dict[str, Any] = json.loads(out)
    return decoded


def _check_wmbus_values(meter: wmbus_telegrams.SimulatedWmbusMeter, decoded: dict[str, Any]) -> str:
    """What the check shows of a decoded telegram; raises when it is implausible."""
    if decoded.get("id") != meter.meter_id or decoded.get("meter") != meter.driver:
        raise RuntimeError(
            f"{meter.meter_id}: decoded as {decoded.get('meter')} {decoded.get('id')}"
        )
    if meter.driver == "cma12w":
        if not 10 <= decoded["current_temperature_c"] <= 30:
            raise RuntimeError(f"{meter.meter_id}: implausible room temperature")
        return f"{decoded['current_temperature_c']} degC"
    if decoded["total_m3"] <= 0 or decoded["status"] not in {"OK", "LEAK"}:
        raise RuntimeError(f"{meter.meter_id}: implausible total or status")
    if meter.driver == "qualcosonic":
        return (
            f"{decoded['total_heat_energy_kwh']:.0f} kWh, {decoded['total_m3']} m3,"
            f" {decoded['power_kw']} kW, status {decoded['status']}"
        )
    return f"{decoded['total_m3']} m3, status {decoded['status']}"


async def check_wmbus(url: str, token: str | None) -> None:
    """Decode every meter's telegram with wmbusmeters, then post one to Home Assistant."""
    if shutil.which("wmbusmeters") is None:
        print("wM-Bus: wmbusmeters not found, not checked")
        return
    now = time.time()
    decoded = {}
    for meter in wmbus_telegrams.METERS:
        decoded[meter.meter_id] = await decode_wmbus(meter, now)
        shown = _check_wmbus_values(meter, decoded[meter.meter_id])
        print(f"wM-Bus {meter.role} ({meter.driver} {meter.meter_id}): {shown}")
    meter = wmbus_telegrams.METERS[0]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
            session.post(url, json=decoded[meter.meter_id], headers=headers) as response,
        ):
            answer = (await response.text()).strip()
    except aiohttp.ClientConnectionError:
        print(f"wM-Bus: nothing answers at {url} (Home Assistant not running?): not posted")
        return
    if response.status != 200:
        raise RuntimeError(f"{url} answered {response.status} to {meter.meter_id}: {answer}")
    print(f"wM-Bus: {url} accepted {meter.role} {meter.meter_id}: {answer}")


async def _main() -> None:
    parser = argparse.ArgumentParser(prog="python -m simulated_home.check")
    parser.add_argument("--host", default=endpoints.HOST)
    parser.add_argument("--p1-port", type=int, default=endpoints.P1_PORT)
    parser.add_argument("--modbus-port", type=int, default=endpoints.MODBUS_PORT)
    parser.add_argument("--telegrams", type=int, default=5)
    parser.add_argument("--wmbus-url", default=endpoints.WMBUS_URL)
    parser.add_argument("--wmbus-token", default=endpoints.WMBUS_TOKEN)
    args = parser.parse_args()
    await check_modbus(args.host, args.modbus_port)
    await check_p1(args.host, args.p1_port, args.telegrams)
    await check_wmbus(args.wmbus_url, args.wmbus_token or None)


if __name__ == "__main__":
    try:
        asyncio.run(_main())
    except Exception as err:  # a check reports any failure
        print(f"FAILED: {type(err).__name__}: {err}", file=sys.stderr)
        sys.exit(1)
    print("OK")
