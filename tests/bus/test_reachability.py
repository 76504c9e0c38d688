"""Reachability checks against real peers: TCP servers, a socat pty, the wmbusmeters program."""

from __future__ import annotations

from pathlib import Path

import pytest

from custom_components.benext.bus.connection import (
    Bus,
    BusConnection,
    NetworkSettings,
    SerialSettings,
    Transport,
)
from custom_components.benext.bus.reachability import (
    BusUnreachableError,
    UnreachableReason,
    async_check_reachable,
)
from tests.peers import LOOPBACK, ModbusTcpPeer, SerialPtyPair, free_port

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_modbus_tcp_converter(modbus_server: ModbusTcpPeer) -> None:
    """A Modbus TCP server that listens is reachable."""
    await async_check_reachable(
        BusConnection(
            Bus.MODBUS, Transport.TCP, network=NetworkSettings(LOOPBACK, modbus_server.port)
        )
    )


async def test_nothing_listening() -> None:
    """A refused connection says cannot_connect, with the address for the log."""
    port = free_port()
    with pytest.raises(BusUnreachableError) as err:
        await async_check_reachable(
            BusConnection(Bus.P1, Transport.NETWORK, network=NetworkSettings(LOOPBACK, port))
        )
    assert err.value.reason is UnreachableReason.CANNOT_CONNECT
    assert f"{LOOPBACK}:{port}" in err.value.detail


async def test_serial_port(serial_pty: SerialPtyPair) -> None:
    """A present serial port opens with the bus's line settings."""
    await async_check_reachable(
        BusConnection(
            Bus.MODBUS,
            Transport.RTU,
            serial=SerialSettings(serial_pty.device, 9600, bytesize=8, parity="E", stopbits=2),
        )
    )


async def test_missing_serial_port(tmp_path: Path) -> None:
    """An unplugged adapter: port_not_found."""
    with pytest.raises(BusUnreachableError) as err:
        await async_check_reachable(
            BusConnection(
                Bus.P1, Transport.SERIAL, serial=SerialSettings(str(tmp_path / "ttyUSB0"), 115200)
            )
        )
    assert err.value.reason is UnreachableReason.PORT_NOT_FOUND


async def test_serial_url_is_not_a_path() -> None:
    """The serial port selector's URLs are opened, not looked up as files."""
    url = f"socket://{LOOPBACK}:{free_port()}"
    with pytest.raises(BusUnreachableError) as err:
        await async_check_reachable(
            BusConnection(Bus.P1, Transport.SERIAL, serial=SerialSettings(url, 115200))
        )
    assert err.value.reason is UnreachableReason.CANNOT_CONNECT


async def test_http_push_has_nothing_to_reach() -> None:
    """wmbusmeters posting to us is not checked by connecting anywhere."""
    await async_check_reachable(BusConnection(Bus.WMBUS, Transport.HTTP))


async def test_managed_wmbusmeters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serial_pty: SerialPtyPair
) -> None:
    """The installed wmbusmeters and its radio device must both be there."""
    await async_check_reachable(
        BusConnection(Bus.WMBUS, Transport.MANAGED, radio=f"{serial_pty.device}:im871a")
    )

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BusUnreachableError) as err:
        await async_check_reachable(BusConnection(Bus.WMBUS, Transport.MANAGED, radio="auto:t1"))
    assert err.value.reason is UnreachableReason.WMBUSMETERS_NOT_FOUND
