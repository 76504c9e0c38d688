"""The RS485 Modbus peer: kWh meters on a bus, reached like the integration reaches them.

A pymodbus server answers for each meter at its device id (its Modbus address): Modbus
TCP as an RS485-Ethernet converter speaks it, Modbus RTU frames over TCP as a
transparent converter passes them, or Modbus RTU on a serial device such as one end of
a pty pair. An address without a meter, or whose meter is silenced, stays silent, as
on an RS485 line.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Literal

from pymodbus.constants import ExcCodes
from pymodbus.exceptions import NoSuchIdException
from pymodbus.framer import FramerType
from pymodbus.server import ModbusSerialServer, ModbusTcpServer
from pymodbus.simulator.simcore import SimCore

from .kwh_meters import SimulatedKwhMeter

type Transport = Literal["tcp", "rtu_over_tcp", "rtu"]

_DESCRIPTIONS: dict[Transport, str] = {
    "tcp": "Modbus TCP",
    "rtu_over_tcp": "Modbus RTU over TCP",
    "rtu": "Modbus RTU",
}


class _Line(SimCore):
    """The meters on the line, by device id.

    pymodbus's own table answers an unknown id with DEVICE_FAILURE (it looks the id up
    with a KeyError), whatever `ignore_missing_devices` says; NoSuchIdException is what
    makes the server stay silent.
    """

    def __init__(self, meters: Iterable[SimulatedKwhMeter], silent: set[int]) -> None:
        super().__init__([meter.device() for meter in meters])
        self._silent = silent

    def _answers(self, device_id: int) -> None:
        if device_id not in self.devices or device_id in self._silent:
            raise NoSuchIdException(  # type: ignore[no-untyped-call]
                f"no meter answers at {device_id}"
            )

    async def async_getValues(
        self, device_id: int, func_code: int, address: int, count: int = 1
    ) -> list[int] | list[bool] | ExcCodes:
        self._answers(device_id)
        return await super().async_getValues(device_id, func_code, address, count)

    async def async_setValues(
        self, device_id: int, func_code: int, address: int, values: list[int] | list[bool]
    ) -> ExcCodes | None:
        self._answers(device_id)
        return await super().async_setValues(device_id, func_code, address, values)


class ModbusPeer:
    """A Modbus server with the given kWh meters on its line."""

    def __init__(
        self,
        meters: Iterable[SimulatedKwhMeter],
        transport: Transport = "tcp",
        *,
        host: str = "127.0.0.1",
        port: int = 502,
        device: str | None = None,
        baudrate: int = 9600,
        parity: Literal["N", "E", "O"] = "N",
        labels: Mapping[int, str] | None = None,
        quiet: bool = False,
    ) -> None:
        if transport == "rtu" and device is None:
            raise ValueError("Modbus RTU needs a serial device")
        self.meters = {meter.device_id: meter for meter in meters}
        self.transport: Transport = transport
        self.host = host
        self.port = port
        self.device = device
        self.baudrate = baudrate
        self.parity = parity
        self.labels = dict(labels or {})  # what each meter measures, for the start line
        self.quiet = quiet
        self._silent: set[int] = set()
        self._server: ModbusTcpServer | ModbusSerialServer | None = None

    async def start(self) -> None:
        if self.transport == "rtu":
            server: ModbusTcpServer | ModbusSerialServer = ModbusSerialServer(
                [],
                framer=FramerType.RTU,
                port=self.device,
                baudrate=self.baudrate,
                parity=self.parity,
                bytesize=8,
                stopbits=1,
                ignore_missing_devices=True,
            )
            where = f"{self.device} at {self.baudrate} 8{self.parity}1"
        else:
            server = ModbusTcpServer(
                [],
                framer=FramerType.SOCKET if self.transport == "tcp" else FramerType.RTU,
                address=(self.host, self.port),
                ignore_missing_devices=True,
            )
            where = f"tcp://{self.host}:{self.port}"
        server.context = _Line(self.meters.values(), self._silent)
        await server.serve_forever(background=True)
        self._server = server
        if self.port == 0 and isinstance(server.transport, asyncio.Server):
            self.port = server.transport.sockets[0].getsockname()[1]  # the one it was given
            where = f"tcp://{self.host}:{self.port}"
        if not self.quiet:
            described = ", ".join(
                " ".join(
                    part
                    for part in (str(device_id), self.labels.get(device_id), f"({meter.model})")
                    if part
                )
                for device_id, meter in sorted(self.meters.items())
            )
            print(
                f"RS485 Modbus: {_DESCRIPTIONS[self.transport]} on {where}, meters {described}",
                flush=True,
            )

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.shutdown()  # type: ignore[no-untyped-call]
            self._server = None

    async def restart(self) -> None:
        """Stop and start again at the same port or device: the converter rebooted."""
        await self.stop()
        await self.start()

    def silence(self, device_id: int) -> None:
        """The meter stops answering at all: unpowered, or its wires came loose."""
        self._silent.add(device_id)

    def revive(self, device_id: int) -> None:
        """The meter answers again."""
        self._silent.discard(device_id)

    def replace(self, device_id: int, meter: SimulatedKwhMeter) -> None:
        """Another meter (another serial, maybe another model) now answers at device_id."""
        if meter.device_id != device_id:
            raise ValueError(f"the meter is set to address {meter.device_id}, not {device_id}")
        self.meters[device_id] = meter
        if self._server is not None:
            self._server.context = _Line(self.meters.values(), self._silent)
