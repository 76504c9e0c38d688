"""Real bus peers on loopback: a P1 telegram stream, a Modbus TCP server, a serial pty pair."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
import shutil
import socket

from pymodbus.server import ModbusTcpServer

from simulated_home.modbus import kwh_meter

FIXTURES = Path(__file__).parent / "fixtures"
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


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


class ModbusTcpPeer:
    """An RS485-Ethernet converter: a pymodbus TCP server with meters at the given ids."""

    def __init__(self, device_ids: tuple[int, ...] = (2, 3, 4)) -> None:
        self.port = free_port()
        # The simulated home's kWh meters, so that tests and scripts/develop share them.
        self._devices = [kwh_meter(device_id) for device_id in device_ids]
        self._server: ModbusTcpServer | None = None

    async def start(self) -> None:
        self._server = ModbusTcpServer(self._devices, address=(LOOPBACK, self.port))
        await self._server.serve_forever(background=True)

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.shutdown()
            self._server = None


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
            f"pty,raw,echo=0,link={self.device}",
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
