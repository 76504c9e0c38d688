"""How the integration reaches each bus of the home: the settings of one bus connection."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Bus(StrEnum):
    """The three buses of a BeNext home, and the entities Home Assistant already has."""

    P1 = "p1"
    MODBUS = "modbus"
    WMBUS = "wmbus"
    # Meters that are entities of other integrations, followed in Home Assistant's state
    # machine: no connection of its own, never stored in the entry's data.
    EXISTING = "existing"

    @property
    def label(self) -> str:
        """The bus's name as the UI and the messages write it, the same in every language."""
        return BUS_LABELS[self]


BUS_LABELS = {
    Bus.P1: "P1",
    Bus.MODBUS: "RS485",
    Bus.WMBUS: "wM-Bus",
    Bus.EXISTING: "Home Assistant",
}


class Transport(StrEnum):
    """How a bus is reached."""

    # P1 smart meter
    SERIAL = "serial"
    NETWORK = "network"
    # A Tasmota-based P1 reader (gPlug): its MQTT SENSOR messages, or its HTTP API polled
    TASMOTA_MQTT = "tasmota_mqtt"
    TASMOTA_HTTP = "tasmota_http"
    # RS485 Modbus
    RTU = "rtu"
    TCP = "tcp"
    RTU_OVER_TCP = "rtu_over_tcp"
    # Wireless M-Bus through wmbusmeters
    HTTP = "http"
    MANAGED = "managed"
    # Entities of other integrations, followed as Home Assistant changes their state.
    STATE_MACHINE = "state_machine"


TRANSPORTS: dict[Bus, tuple[Transport, ...]] = {
    Bus.P1: (
        Transport.SERIAL,
        Transport.NETWORK,
        Transport.TASMOTA_MQTT,
        Transport.TASMOTA_HTTP,
    ),
    Bus.MODBUS: (Transport.RTU, Transport.TCP, Transport.RTU_OVER_TCP),
    Bus.WMBUS: (Transport.HTTP, Transport.MANAGED),
    Bus.EXISTING: (Transport.STATE_MACHINE,),
}

SERIAL_TRANSPORTS = frozenset({Transport.SERIAL, Transport.RTU})
NETWORK_TRANSPORTS = frozenset(
    {Transport.NETWORK, Transport.TCP, Transport.RTU_OVER_TCP, Transport.TASMOTA_HTTP}
)
# Buses whose data is pushed to us: nothing can be checked before the first telegram.
PUSH_TRANSPORTS = frozenset({Transport.HTTP, Transport.TASMOTA_MQTT, Transport.STATE_MACHINE})
# P1 readers that send Tasmota JSON (values), not DSMR telegrams.
TASMOTA_TRANSPORTS = frozenset({Transport.TASMOTA_MQTT, Transport.TASMOTA_HTTP})

DEFAULT_MODBUS_TCP_PORT = 502
# BeNext sets every kWh meter on the RS485 bus to 9600 baud 8N1.
DEFAULT_MODBUS_BAUDRATE = 9600
# DSMR 4 and 5 meters send at 115200 baud 8N1 (DSMR 2.2 and 3 use 9600 7E1).
DEFAULT_P1_BAUDRATE = 115200
DEFAULT_TASMOTA_HTTP_PORT = 80
# The port pre-filled for a P1 network reader. Core's dsmr suggests none: it takes a
# `socket://host:port` address, and its documentation's ser2net example uses 2001, a port
# of the user's choosing, as is ESPHome's stream server's (6638 by default). Ready-made
# P1-to-TCP readers (the Smart Gateways kind) stream raw telegrams on 8088; some serial
# Wi-Fi bridges use telnet's 23. The installer changes it on the form where it differs.
DEFAULT_P1_NETWORK_PORT = 8088
DEFAULT_WMBUS_RADIO = "auto:t1"


@dataclass(frozen=True, slots=True)
class SerialSettings:
    """A serial port and its line settings."""

    device: str
    baudrate: int
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    """A TCP endpoint on the home network."""

    host: str
    port: int


@dataclass(frozen=True, slots=True)
class BusConnection:
    """One configured bus: its transport and where to find it."""

    bus: Bus
    transport: Transport
    serial: SerialSettings | None = None
    network: NetworkSettings | None = None
    radio: str | None = None
    # wmbusmeters posting to the installation: the secret id of its endpoint, and the
    # bearer token it must send, if one is set.
    webhook_id: str | None = None
    token: str | None = None
    # A Tasmota reader over MQTT: its device topic, as in `tele/<topic>/SENSOR`.
    topic: str | None = None

    def __post_init__(self) -> None:
        """Reject settings that do not fit the transport."""
        if self.transport not in TRANSPORTS[self.bus]:
            raise ValueError(f"{self.transport} is not a transport of the {self.bus} bus")
        if self.transport in SERIAL_TRANSPORTS and self.serial is None:
            raise ValueError(f"{self.transport} needs serial settings")
        if self.transport in NETWORK_TRANSPORTS and self.network is None:
            raise ValueError(f"{self.transport} needs a host and port")
        if self.transport is Transport.MANAGED and not self.radio:
            raise ValueError("a managed wmbusmeters needs a radio device")
        if self.transport is Transport.TASMOTA_MQTT and not self.topic:
            raise ValueError("a Tasmota reader over MQTT needs its topic")

    @property
    def is_push(self) -> bool:
        """Whether data only arrives when the other side sends it."""
        return self.transport in PUSH_TRANSPORTS

    @property
    def endpoint(self) -> str | None:
        """What this connection occupies in the home: a port, a host:port, a radio or a topic."""
        if self.serial is not None:
            return self.serial.device
        if self.network is not None:
            return f"{self.network.host}:{self.network.port}"
        if self.transport is Transport.MANAGED:
            return self.radio_device
        if self.topic is not None:
            return f"mqtt:{self.topic}"
        return None

    @property
    def radio_device(self) -> str | None:
        """The device path in a wmbusmeters radio spec such as `/dev/ttyUSB0:im871a`."""
        if self.radio is None or not self.radio.startswith("/"):
            return None
        return self.radio.split(":", 1)[0]

    def as_dict(self) -> dict[str, Any]:
        """The form stored in the config entry."""
        data: dict[str, Any] = {"transport": self.transport.value}
        if self.serial is not None:
            data["serial"] = asdict(self.serial)
        if self.network is not None:
            data["network"] = asdict(self.network)
        if self.radio is not None:
            data["radio"] = self.radio
        if self.webhook_id is not None:
            data["webhook_id"] = self.webhook_id
        if self.token is not None:
            data["token"] = self.token
        if self.topic is not None:
            data["topic"] = self.topic
        return data

    @classmethod
    def from_dict(cls, bus: Bus, data: dict[str, Any]) -> BusConnection:
        """Read the form stored in the config entry."""
        serial = data.get("serial")
        network = data.get("network")
        return cls(
            bus=bus,
            transport=Transport(data["transport"]),
            serial=SerialSettings(**serial) if serial else None,
            network=NetworkSettings(**network) if network else None,
            radio=data.get("radio"),
            webhook_id=data.get("webhook_id"),
            token=data.get("token"),
            topic=data.get("topic"),
        )


def configured_buses(data: Mapping[str, Any]) -> dict[Bus, BusConnection]:
    """The buses present in an installation's data, in the order of the Bus enum."""
    return {bus: BusConnection.from_dict(bus, data[bus]) for bus in Bus if bus in data}
