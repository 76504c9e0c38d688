"""One Modbus client per RS485 bus: serialized requests, each with its own timeout."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum

from pymodbus import FramerType
from pymodbus.client import AsyncModbusSerialClient, AsyncModbusTcpClient
from pymodbus.exceptions import ConnectionException, ModbusException, ModbusIOException

from ..connection import BusConnection, Transport
from ..reachability import BusUnreachableError, UnreachableReason
from .register_maps import Table

# A meter answers a read within ~50 ms, and a 60-register reply takes 0.13 s at 9600
# baud; RS485-Ethernet converters add their own latency.
REQUEST_TIMEOUT = 1.5


class ReadFault(StrEnum):
    """Why a read of one meter failed; the values are the diagnostics' counter names."""

    # Nothing came back in time: a dead or unpowered meter, wrong address, baud rate or
    # parity, swapped A/B wires, or a reply whose CRC was wrong (it is dropped).
    NO_ANSWER = "no_answer"
    # The meter answered with a Modbus exception (e.g. a register it does not have).
    EXCEPTION = "exception"
    # Another device answered: two meters share an address.
    WRONG_ADDRESS = "wrong_address"
    # The reply carried fewer registers than asked for.
    SHORT_REPLY = "short_reply"


class MeterReadError(Exception):
    """A read of one meter failed; the bus itself is still there."""

    def __init__(self, fault: ReadFault, detail: str) -> None:
        """Initialize with the fault and a detail for the log."""
        super().__init__(detail)
        self.fault = fault
        self.detail = detail


@dataclass(slots=True)
class WireCounters:
    """Traffic on the bus since the client was made."""

    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0


class ModbusBusClient:
    """The bus's one client. pymodbus sends one request at a time on it."""

    def __init__(self, connection: BusConnection, timeout: float = REQUEST_TIMEOUT) -> None:
        """Build the client for the bus's transport; nothing is opened yet."""
        self.connection = connection
        self.counters = WireCounters()
        self._lock = asyncio.Lock()
        self._client: AsyncModbusTcpClient | AsyncModbusSerialClient
        # Retries and reconnects are ours: each failed read counts, and each poll
        # reconnects a dropped connection.
        common = {
            "timeout": timeout,
            "retries": 0,
            "reconnect_delay": 0,
            "trace_packet": self._count_packet,
        }
        if connection.serial is not None:
            serial = connection.serial
            self._client = AsyncModbusSerialClient(
                serial.device,
                framer=FramerType.RTU,
                baudrate=serial.baudrate,
                bytesize=serial.bytesize,
                parity=serial.parity,
                stopbits=serial.stopbits,
                **common,  # type: ignore[arg-type]
            )
        elif connection.network is not None:
            self._client = AsyncModbusTcpClient(
                connection.network.host,
                port=connection.network.port,
                framer=(
                    FramerType.RTU
                    if connection.transport is Transport.RTU_OVER_TCP
                    else FramerType.SOCKET
                ),
                **common,  # type: ignore[arg-type]
            )
        else:
            raise ValueError(f"{connection.transport} is not a Modbus transport")

    @property
    def connected(self) -> bool:
        """Whether the connection (or the serial port) is open."""
        return bool(self._client.connected)

    async def async_connect(self) -> None:
        """Open the connection if it is not open; raise BusUnreachableError if it fails."""
        if self.connected:
            return
        # The transport's own connect: the client's adds a fixed 0.1 s sleep after it.
        if not await self._client.ctx.connect():
            raise BusUnreachableError(
                UnreachableReason.CANNOT_CONNECT, f"{self.connection.endpoint}: no connection"
            )

    async def async_read(
        self,
        device_id: int,
        table: Table,
        address: int,
        count: int,
        wait: float | None = None,
    ) -> list[int]:
        """Read `count` registers of one meter, waiting `wait` seconds (or the client's) for it.

        Raises MeterReadError when the meter does not answer properly, and
        BusUnreachableError when the connection itself is gone.
        """
        async with self._lock:
            params = self._client.ctx.comm_params
            default_timeout = params.timeout_connect
            # pymodbus reads its timeout per request; a bus scan waits less for empty
            # addresses than a poll waits for a known meter.
            params.timeout_connect = wait or default_timeout
            try:
                return await self._async_read(device_id, table, address, count)
            finally:
                params.timeout_connect = default_timeout

    async def _async_read(
        self, device_id: int, table: Table, address: int, count: int
    ) -> list[int]:
        read = (
            self._client.read_holding_registers
            if table is Table.HOLDING
            else self._client.read_input_registers
        )
        self.counters.requests += 1
        try:
            response = await read(address, count=count, device_id=device_id)
        except ConnectionException as err:
            raise BusUnreachableError(UnreachableReason.CANNOT_CONNECT, str(err)) from err
        except ModbusIOException as err:
            fault = ReadFault.WRONG_ADDRESS if "device id" in str(err) else ReadFault.NO_ANSWER
            if not self.connected:
                raise BusUnreachableError(UnreachableReason.CANNOT_CONNECT, str(err)) from err
            raise MeterReadError(fault, f"address {device_id}: {err}") from err
        except ModbusException as err:
            raise MeterReadError(ReadFault.NO_ANSWER, f"address {device_id}: {err}") from err
        if response.isError():
            raise MeterReadError(
                ReadFault.EXCEPTION,
                f"address {device_id}: exception {response.exception_code} "
                f"reading {count} registers at {address:#06x}",
            )
        if len(response.registers) < count:
            raise MeterReadError(
                ReadFault.SHORT_REPLY,
                f"address {device_id}: {len(response.registers)} of {count} registers",
            )
        return list(response.registers[:count])

    def close(self) -> None:
        """Close the connection."""
        self._client.close()

    def _count_packet(self, sending: bool, packet: bytes) -> bytes:
        if sending:
            self.counters.bytes_sent += len(packet)
        else:
            self.counters.bytes_received += len(packet)
        return packet
