"""Bus connection settings: what each transport needs, and how they are stored."""

from __future__ import annotations

import pytest

from custom_components.benext.bus.connection import (
    Bus,
    BusConnection,
    NetworkSettings,
    SerialSettings,
    Transport,
)

RS485_ADAPTER = SerialSettings(device="/dev/serial/by-id/usb-FTDI_RS485-if00", baudrate=9600)
CONVERTER = NetworkSettings(host="192.0.2.10", port=502)


@pytest.mark.parametrize(
    "connection",
    [
        BusConnection(Bus.P1, Transport.SERIAL, serial=RS485_ADAPTER),
        BusConnection(Bus.MODBUS, Transport.RTU_OVER_TCP, network=CONVERTER),
        BusConnection(Bus.WMBUS, Transport.MANAGED, radio="/dev/ttyUSB0:im871a"),
        BusConnection(Bus.WMBUS, Transport.HTTP),
    ],
)
def test_round_trip(connection: BusConnection) -> None:
    """What the config entry stores reads back as the same connection."""
    assert BusConnection.from_dict(connection.bus, connection.as_dict()) == connection


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bus": Bus.P1, "transport": Transport.TCP, "network": CONVERTER}, "not a transport"),
        ({"bus": Bus.MODBUS, "transport": Transport.RTU}, "needs serial settings"),
        ({"bus": Bus.P1, "transport": Transport.NETWORK}, "needs a host and port"),
        ({"bus": Bus.WMBUS, "transport": Transport.MANAGED}, "needs a radio device"),
    ],
)
def test_incomplete_settings_are_refused(kwargs: dict, message: str) -> None:
    """A transport without the settings it needs is a programming error, caught early."""
    with pytest.raises(ValueError, match=message):
        BusConnection(**kwargs)


def test_endpoints() -> None:
    """What a bus occupies: a port, a host:port, a radio device, or nothing for HTTP push."""
    assert BusConnection(Bus.P1, Transport.SERIAL, serial=RS485_ADAPTER).endpoint == (
        RS485_ADAPTER.device
    )
    assert BusConnection(Bus.MODBUS, Transport.TCP, network=CONVERTER).endpoint == "192.0.2.10:502"
    managed = BusConnection(Bus.WMBUS, Transport.MANAGED, radio="/dev/ttyUSB0:im871a")
    assert managed.endpoint == "/dev/ttyUSB0"
    assert BusConnection(Bus.WMBUS, Transport.MANAGED, radio="auto:t1").endpoint is None
    assert BusConnection(Bus.WMBUS, Transport.HTTP).endpoint is None
    assert BusConnection(Bus.WMBUS, Transport.HTTP).is_push
    assert not managed.is_push
