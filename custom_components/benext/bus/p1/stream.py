"""Open the byte stream of a P1 port: a serial port (or a serial URL) or a TCP socket."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib

import serialx

from ..connection import BusConnection
from .versions import LineSettings

OPEN_TIMEOUT = 10.0

# What opening or reading a P1 stream may raise when the port or the network fails.
STREAM_ERRORS = (OSError, TimeoutError, serialx.SerialException, ValueError)


async def async_open_stream(
    connection: BusConnection, line: LineSettings | None
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Open the stream; `line` sets a serial port's baud rate and character format."""
    async with asyncio.timeout(OPEN_TIMEOUT):
        if connection.network is not None:
            return await asyncio.open_connection(connection.network.host, connection.network.port)
        if connection.serial is None:
            raise ValueError(f"{connection.transport} is not a telegram stream")
        settings = connection.serial
        reader, writer = await serialx.open_serial_connection(
            url=settings.device,
            baudrate=line.baudrate if line else settings.baudrate,
            bytesize=line.bytesize if line else settings.bytesize,
            parity=line.parity if line else settings.parity,
            stopbits=settings.stopbits,
        )
        return reader, writer


async def async_close_stream(writer: asyncio.StreamWriter) -> None:
    """Close a stream, whatever state its transport is in."""
    writer.close()
    with contextlib.suppress(*STREAM_ERRORS, ConnectionError):
        await writer.wait_closed()


async def async_listen(
    connection: BusConnection,
    line: LineSettings | None,
    seconds: float,
    done: Callable[[bytes], bool],
) -> bytes:
    """What the port sends within `seconds`, or until `done` says it is enough."""
    reader, writer = await async_open_stream(connection, line)
    received = bytearray()
    try:
        async with asyncio.timeout(seconds):
            while not done(bytes(received)):
                chunk = await reader.read(4096)
                if not chunk:
                    break
                received += chunk
    except TimeoutError:
        pass
    finally:
        await async_close_stream(writer)
    return bytes(received)
