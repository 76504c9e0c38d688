"""Listen to a P1 port until a telegram tells which meter is behind it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..connection import BusConnection
from .detection import P1Detection, detect
from .stream import STREAM_ERRORS, async_listen
from .versions import LINE_SETTINGS_TO_TRY, LineSettings

# DSMR 2.2 to 4 meters send every 10 seconds: a listener must hear at least one.
LISTEN_SECONDS = 12.0


class ProbeFailure(StrEnum):
    """Why no meter was found; the values are the config flow's error keys."""

    CANNOT_CONNECT = "cannot_connect"
    PORT_NOT_FOUND = "port_not_found"
    NO_TELEGRAM = "no_telegram"
    INVALID_KEY = "invalid_key"


class P1ProbeError(Exception):
    """No meter could be read on the port."""

    def __init__(self, failure: ProbeFailure, detail: str = "") -> None:
        """Initialize with the reason and a detail for the log."""
        super().__init__(detail or failure.value)
        self.failure = failure


@dataclass(frozen=True, slots=True)
class P1MeterFound:
    """The meter found, and the line settings it was heard on (None over a network)."""

    meter: P1Detection
    line: LineSettings | None


async def async_probe(
    connection: BusConnection, key: str | None = None, seconds: float = LISTEN_SECONDS
) -> P1MeterFound:
    """Listen for a telegram, trying each DSMR line setting on a serial port."""
    lines: tuple[LineSettings | None, ...] = (
        LINE_SETTINGS_TO_TRY if connection.serial is not None else (None,)
    )
    serial = connection.serial
    if (
        serial is not None
        and "://" not in serial.device
        and not await asyncio.to_thread(Path(serial.device).exists)
    ):
        raise P1ProbeError(ProbeFailure.PORT_NOT_FOUND, serial.device)
    opened = False
    for line in lines:
        heard: list[P1Detection] = []
        try:
            await async_listen(connection, line, seconds, _heard_meter(line, key, heard))
        except STREAM_ERRORS as err:
            if connection.serial is None or not opened:
                raise P1ProbeError(ProbeFailure.CANNOT_CONNECT, str(err)) from err
            continue
        opened = True
        if not heard:
            continue
        meter = heard[0]
        if meter.encrypted and key and meter.version is None:
            raise P1ProbeError(ProbeFailure.INVALID_KEY)
        return P1MeterFound(meter, line)
    raise P1ProbeError(ProbeFailure.NO_TELEGRAM)


def _heard_meter(
    line: LineSettings | None, key: str | None, heard: list[P1Detection]
) -> Callable[[bytes], bool]:
    """Whether the bytes received so far tell the meter; the meter told goes into `heard`."""

    def done(received: bytes) -> bool:
        if (meter := detect(received, line, key)) is not None:
            heard.append(meter)
        return meter is not None

    return done
