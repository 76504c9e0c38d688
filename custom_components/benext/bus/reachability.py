"""Checks that a configured bus can be reached, before and while it is used."""

from __future__ import annotations

import asyncio
import contextlib
from enum import StrEnum
from pathlib import Path
import shutil

import serialx

from .connection import BusConnection, NetworkSettings, SerialSettings, Transport

WMBUSMETERS = "wmbusmeters"


class UnreachableReason(StrEnum):
    """Why a bus cannot be reached; the values are the config flow's error keys."""

    CANNOT_CONNECT = "cannot_connect"
    PORT_NOT_FOUND = "port_not_found"
    WMBUSMETERS_NOT_FOUND = "wmbusmeters_not_found"


class BusUnreachableError(Exception):
    """A bus could not be reached."""

    def __init__(self, reason: UnreachableReason, detail: str) -> None:
        """Initialize with the reason and a detail for the log."""
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


CHECK_TIMEOUT = 5.0


async def async_check_reachable(connection: BusConnection) -> None:
    """Raise BusUnreachableError when the bus cannot be reached now.

    A push bus (wmbusmeters posting to our endpoint) has nothing to reach: it passes, and
    so does a Tasmota reader over MQTT, which is reached through Home Assistant's MQTT
    integration (the P1 coordinator follows it). A Tasmota reader polled over HTTP is
    checked like any network bus: its port must accept a connection.
    """
    if connection.network is not None:
        await _async_check_network(connection.network)
    elif connection.serial is not None:
        await _async_check_serial(connection.serial)
    elif connection.transport is Transport.MANAGED:
        await asyncio.to_thread(_check_managed_wmbusmeters, connection.radio_device)


async def _async_check_network(network: NetworkSettings) -> None:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            _, writer = await asyncio.open_connection(network.host, network.port)
    except (OSError, TimeoutError) as err:
        raise BusUnreachableError(
            UnreachableReason.CANNOT_CONNECT,
            f"{network.host}:{network.port}: {err or 'timed out'}",
        ) from err
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()


async def _async_check_serial(settings: SerialSettings) -> None:
    # The serial port selector also offers URLs (socket://, esphome-hass://): only a
    # local path can be missing.
    is_local_path = "://" not in settings.device
    if is_local_path and not await asyncio.to_thread(Path(settings.device).exists):
        raise BusUnreachableError(UnreachableReason.PORT_NOT_FOUND, settings.device)
    port = serialx.async_serial_for_url(
        settings.device,
        baudrate=settings.baudrate,
        byte_size=settings.bytesize,
        parity=settings.parity,
        stopbits=settings.stopbits,
    )
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await port.open()
    except (serialx.SerialException, OSError, TimeoutError, ValueError) as err:
        raise BusUnreachableError(
            UnreachableReason.CANNOT_CONNECT, f"{settings.device}: {err or 'timed out'}"
        ) from err
    await port.close()


def _check_managed_wmbusmeters(radio_device: str | None) -> None:
    if shutil.which(WMBUSMETERS) is None:
        raise BusUnreachableError(
            UnreachableReason.WMBUSMETERS_NOT_FOUND, f"no {WMBUSMETERS} program on PATH"
        )
    if radio_device is not None and not Path(radio_device).exists():
        raise BusUnreachableError(UnreachableReason.PORT_NOT_FOUND, radio_device)
