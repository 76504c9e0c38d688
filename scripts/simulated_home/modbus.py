"""The RS485 Modbus peer: the home's kWh meters behind an RS485-Ethernet converter.

A pymodbus Modbus TCP server that answers for each meter's device id (its Modbus
address on the bus). Every meter has an input register block and a holding register
block; their values are zero for now, until the meters' register maps are simulated.
"""

from __future__ import annotations

import logging

from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

_LOGGER = logging.getLogger(__name__)

# Eastron and similar meters keep their measurements in input registers 0x0000-0x01FF
# and their settings in holding registers 0x0000-0x00FF.
INPUT_REGISTERS = 0x0200
HOLDING_REGISTERS = 0x0100


def kwh_meter(device_id: int) -> SimDevice:
    """A kWh meter with all registers zero."""
    return SimDevice(
        id=device_id,
        # (coils, discrete inputs, holding registers, input registers)
        simdata=(
            [SimData(0, count=16, values=False, datatype=DataType.BITS)],
            [SimData(0, count=16, values=False, datatype=DataType.BITS)],
            [SimData(0, count=HOLDING_REGISTERS, values=0, datatype=DataType.REGISTERS)],
            [SimData(0, count=INPUT_REGISTERS, values=0, datatype=DataType.REGISTERS)],
        ),
    )


class ModbusPeer:
    """A Modbus TCP server with one device per kWh meter on the bus."""

    def __init__(self, host: str, port: int, meters: dict[int, tuple[str, str]]) -> None:
        self.host = host
        self.port = port
        self.meters = meters
        self._server: ModbusTcpServer | None = None

    async def start(self) -> None:
        self._server = ModbusTcpServer(
            [kwh_meter(device_id) for device_id in self.meters],
            address=(self.host, self.port),
        )
        await self._server.serve_forever(background=True)
        described = ", ".join(
            f"{device_id} {role} ({model})" for device_id, (role, model) in self.meters.items()
        )
        print(
            f"RS485 Modbus: Modbus TCP on tcp://{self.host}:{self.port}, devices {described}",
            flush=True,
        )

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.shutdown()
