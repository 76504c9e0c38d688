"""Real bus peers on loopback: a P1 telegram stream, the RS485 meters, a serial pty pair.

The meters are the simulated home's (`scripts/simulated_home`), with fixed values: on a
Modbus TCP or RTU-over-TCP converter, on a serial line (a socat pty pair), or behind a
converter that damages answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
import shutil
import socket
from typing import Any, Literal

from pymodbus.constants import ExcCodes

from simulated_home.kwh_meters import MeterModel, MeterReadings, SimulatedKwhMeter
from simulated_home.modbus import ModbusPeer

FIXTURES = Path(__file__).parent / "fixtures"
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def network(port: int) -> dict[str, Any]:
    """A bus reached over TCP on loopback, as stored in the config entry."""
    return {"host": LOOPBACK, "port": port}


class P1TelegramServer:
    """A network P1 reader (ser2net-style): streams a telegram to every client."""

    def __init__(self, telegram: bytes, interval: float = 1.0) -> None:
        self.telegram = telegram
        self.interval = interval
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, LOOPBACK, self.port)

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for client in list(self._clients):
            client.cancel()
        await asyncio.gather(*self._clients, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def _serve(self, _reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        client = asyncio.current_task()
        assert client is not None
        self._clients.add(client)
        try:
            while not writer.is_closing():
                writer.write(self.telegram)
                await writer.drain()
                await asyncio.sleep(self.interval)
        except ConnectionError, asyncio.CancelledError:
            pass
        finally:
            self._clients.discard(client)
            writer.close()


def benext_meters() -> list[SimulatedKwhMeter]:
    """The BeNext meters at 2, 3 and 4 (PV, heat pump, ventilation), values fixed."""
    return [
        SimulatedKwhMeter(
            MeterModel.EASTRON_SDM630,
            2,
            serial=21_060_123,
            readings=MeterReadings.from_power(
                -2850.0,  # producing: the PV meter is wired as a consumer
                three_phase=True,
                import_kwh=41.7,
                export_kwh=6432.1,
                voltage_v=(231.2, 230.8, 232.0),
                power_factor=-0.99,
            ),
        ),
        SimulatedKwhMeter(
            MeterModel.EASTRON_SDM220,
            3,
            serial=22_110_456,
            readings=MeterReadings.from_power(
                1640.0,
                three_phase=False,
                import_kwh=3512.8,
                export_kwh=0.0,
                voltage_v=(229.6, 0.0, 0.0),
                power_factor=0.96,
            ),
        ),
        SimulatedKwhMeter(
            MeterModel.EASTRON_SDM220,
            4,
            serial=22_110_789,
            readings=MeterReadings.from_power(
                42.5,
                three_phase=False,
                import_kwh=812.4,
                export_kwh=0.0,
                voltage_v=(230.4, 0.0, 0.0),
                power_factor=0.62,
            ),
        ),
    ]


class ModbusTcpPeer(ModbusPeer):
    """An RS485-Ethernet converter on loopback: Modbus TCP (or RTU over TCP) to the meters."""

    def __init__(
        self,
        meters: list[SimulatedKwhMeter] | None = None,
        transport: Literal["tcp", "rtu_over_tcp"] = "tcp",
    ) -> None:
        super().__init__(
            benext_meters() if meters is None else meters,
            transport,
            host=LOOPBACK,
            port=free_port(),
            quiet=True,
        )


class ModbusRtuPeer(ModbusPeer):
    """The meters on a serial line: Modbus RTU on the far end of a pty pair."""

    def __init__(
        self,
        pty: SerialPtyPair,
        meters: list[SimulatedKwhMeter] | None = None,
        baudrate: int = 9600,
    ) -> None:
        super().__init__(
            benext_meters() if meters is None else meters,
            "rtu",
            device=pty.other_end,
            baudrate=baudrate,
            quiet=True,
        )


def crc16_modbus(frame: bytes) -> bytes:
    """The CRC of a Modbus RTU frame, low byte first as it goes on the wire."""
    crc = 0xFFFF
    for byte in frame:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc.to_bytes(2, "little")


type RtuFault = Literal["none", "bad_crc", "wrong_address"]


class LoopbackTcpPeer:
    """A TCP server on loopback whose `_serve` answers each client, closed with them all."""

    def __init__(self) -> None:
        self.port = free_port()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, LOOPBACK, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.close_clients()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError


class FaultyRtuOverTcpPeer(LoopbackTcpPeer):
    """A transparent converter with one meter, whose answers can arrive damaged.

    Speaks raw Modbus RTU frames over TCP and understands 8-byte requests (FC03, FC04);
    a request with a bad CRC or for another address gets no answer. `fault` damages the
    answers: "bad_crc" flips the CRC, "wrong_address" answers as another address (with
    a valid CRC).
    """

    def __init__(self, meter: SimulatedKwhMeter, fault: RtuFault = "none") -> None:
        super().__init__()
        self.meter = meter
        self.fault: RtuFault = fault

    def answer(self, request: bytes) -> bytes | None:
        """The frame the meter sends back to an 8-byte request, if any."""
        if crc16_modbus(request[:6]) != request[6:] or request[0] != self.meter.device_id:
            return None
        function_code = request[1]
        address, count = int.from_bytes(request[2:4]), int.from_bytes(request[4:6])
        registers = self.meter.read(function_code, address, count)
        if isinstance(registers, ExcCodes):
            pdu = bytes([function_code | 0x80, registers])
        else:
            data = b"".join(register.to_bytes(2) for register in registers)
            pdu = bytes([function_code, len(data)]) + data
        device_id = self.meter.device_id
        if self.fault == "wrong_address":
            device_id = device_id % 247 + 1
        frame = bytes([device_id]) + pdu
        crc = crc16_modbus(frame)
        if self.fault == "bad_crc":
            crc = bytes(byte ^ 0xFF for byte in crc)
        return frame + crc

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                if (frame := self.answer(await reader.readexactly(8))) is not None:
                    writer.write(frame)
                    await writer.drain()
        except asyncio.IncompleteReadError, ConnectionError:
            pass
        finally:
            writer.close()


class SerialPtyPair:
    """Two linked pseudo-terminals made by socat: one end plays the USB adapter."""

    def __init__(self, directory: Path) -> None:
        self.device = str(directory / "ttyBENEXT0")
        self.other_end = str(directory / "ttyBENEXT1")
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        socat = shutil.which("socat")
        assert socat is not None, "socat is part of the test set-up (scripts/lib/toolchain.sh)"
        self._process = await asyncio.create_subprocess_exec(
            socat,
            f"pty,raw,echo=0,b115200,link={self.device}",
            f"pty,raw,echo=0,link={self.other_end}",
            stderr=asyncio.subprocess.DEVNULL,
        )
        async with asyncio.timeout(5):
            while not (Path(self.device).exists() and Path(self.other_end).exists()):
                await asyncio.sleep(0.02)

    async def stop(self) -> None:
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self._process.terminate()
        await self._process.wait()
        self._process = None


class P1SerialPeer(SerialPtyPair):
    """A smart meter on a P1 cable: a pty pair whose far end sends a telegram every interval.

    socat gives the pty the DSMR 5 line settings (115200 8N1); a pty passes the bytes
    whatever the reader sets, so detection finds the meter at the first setting it tries.
    """

    def __init__(self, directory: Path, telegram: bytes, interval: float = 1.0) -> None:
        super().__init__(directory)
        self.telegram = telegram
        self.interval = interval
        self._writer: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await super().start()
        self._writer = asyncio.create_task(self._write_forever())

    async def stop(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
            self._writer = None
        await super().stop()

    async def _write_forever(self) -> None:
        fd = os.open(self.other_end, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        try:
            while True:
                with contextlib.suppress(BlockingIOError):
                    os.write(fd, self.telegram)
                await asyncio.sleep(self.interval)
        finally:
            os.close(fd)


class DroppingRtuOverTcpPeer(LoopbackTcpPeer):
    """A transparent converter with several meters that closes the connection on a request.

    Speaks raw Modbus RTU frames over TCP like FaultyRtuOverTcpPeer; a request for an
    address in `drop_at` makes it close the socket instead of passing it on (as some
    converters do when the line does not answer), and an address without a meter stays
    silent.
    """

    def __init__(self, meters: list[SimulatedKwhMeter], drop_at: set[int] | None = None) -> None:
        super().__init__()
        self.meters = {meter.device_id: FaultyRtuOverTcpPeer(meter) for meter in meters}
        self.drop_at = set(drop_at or ())
        self.connections = 0

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                request = await reader.readexactly(8)
                if request[0] in self.drop_at:
                    break
                if (meter := self.meters.get(request[0])) is not None and (
                    frame := meter.answer(request)
                ) is not None:
                    writer.write(frame)
                    await writer.drain()
        except asyncio.IncompleteReadError, ConnectionError:
            pass
        finally:
            writer.close()
