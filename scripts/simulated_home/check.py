"""Check a running simulated home with real clients: `python -m simulated_home.check`.

P1: reads telegrams off the TCP stream with dsmr_parser's own buffer and parses each
with the DSMR 5 specification (CRC checked). Modbus: reads input and holding registers
at every kWh meter's device id with a pymodbus client. Exits non-zero on a failure.
"""

from __future__ import annotations

import argparse
import asyncio
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


async def check_modbus(host: str, port: int) -> None:
    client = AsyncModbusTcpClient(host, port=port)
    if not await client.connect():
        raise ConnectionError(f"no Modbus TCP server at {host}:{port}")
    try:
        for device_id in endpoints.KWH_METERS:
            inputs = await client.read_input_registers(0, count=10, device_id=device_id)
            holding = await client.read_holding_registers(0, count=10, device_id=device_id)
            for name, response in (("input", inputs), ("holding", holding)):
                if response.isError():
                    raise RuntimeError(f"device {device_id} {name} registers: {response}")
            print(
                f"Modbus device {device_id}: input {inputs.registers}, holding {holding.registers}"
            )
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
