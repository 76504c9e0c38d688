"""One Modbus client per RS485 bus: serialized requests, each with its own timeout."""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
import logging

from pymodbus import FramerType
from pymodbus.client import AsyncModbusSerialClient, AsyncModbusTcpClient
from pymodbus.exceptions import ConnectionException, ModbusException, ModbusIOException

from ..connection import BusConnection, Transport
from ..reachability import BusUnreachableError, UnreachableReason
from .register_maps import Table

# A meter answers a read within ~50 ms, and a 60-register reply takes 0.13 s at 9600
# baud; RS485-Ethernet converters add their own latency.
REQUEST_TIMEOUT = 1.5
# pymodbus closes the connection after a few unanswered requests in a row; on a bus an
# empty address or a silent meter is no reason to, so it never gets that far.
_NEVER = 2**31


# Set while one of our requests runs: pymodbus logs in the requesting task.
_OUR_REQUEST: ContextVar[bool] = ContextVar("benext_modbus_request", default=False)


class _NoResponseFilter(logging.Filter):
    """Drop pymodbus's ERROR (with its frame dump) for a request of ours nobody answered.

    A read that gets no answer raises MeterReadError; the bus's owner logs it once, at
    the level it deserves (a scan's empty address is expected, a lost meter is not).
    Other users of pymodbus in Home Assistant keep their log as it is.
    """

    def __init__(self) -> None:
        """Start with no record dropped."""
        super().__init__()
        self._dropped = False

    def filter(self, record: logging.LogRecord) -> bool:
        if not _OUR_REQUEST.get():
            return True
        message = record.getMessage()
        # pymodbus writes a message logged twice in a row as "Repeating....".
        if message.startswith("No response received after") or (
            self._dropped and message.startswith("Repeating....")
        ):
            self._dropped = True
            return False
        self._dropped = False
        return True


_NO_RESPONSE_FILTER = _NoResponseFilter()


class _ConnectionDropped(ModbusIOException):
    """The connection closed while a request waited for its answer."""

    def __init__(self) -> None:
        """Initialize with pymodbus's own message format."""
        super().__init__("the connection was dropped")  # type: ignore[no-untyped-call]


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
            "trace_connect": self._connection_changed,
        }
        self._waiting = False
        logging.getLogger("pymodbus.logging").addFilter(_NO_RESPONSE_FILTER)
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
        self._client.set_max_no_responses(_NEVER)

    @property
    def connected(self) -> bool:
        """Whether the connection (or the serial port) is open."""
        return bool(self._client.connected)

    async def async_connect(self) -> None:
        """Open the connection if it is not open; raise BusUnreachableError if it fails."""
        async with self._lock:
            await self._async_connect()

    async def _async_connect(self) -> None:
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

        A connection dropped by an earlier request is opened again first. Raises
        MeterReadError when the meter does not answer properly (a connection dropped
        while it is asked too: some converters close it on a request they cannot
        serve), and BusUnreachableError when the connection cannot be opened.
        """
        async with self._lock:
            await self._async_connect()
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
        self._waiting = True
        ours = _OUR_REQUEST.set(True)
        try:
            response = await read(address, count=count, device_id=device_id)
        except ConnectionException as err:
            raise BusUnreachableError(UnreachableReason.CANNOT_CONNECT, str(err)) from err
        except ModbusIOException as err:
            if isinstance(err, _ConnectionDropped) or not self.connected:
                raise MeterReadError(
                    ReadFault.NO_ANSWER, f"address {device_id}: the connection was dropped"
                ) from err
            if "device id" in str(err):
                raise MeterReadError(
                    ReadFault.WRONG_ADDRESS, f"address {device_id}: {err}"
                ) from err
            detail = "no answer" if "No response received" in str(err) else str(err)
            raise MeterReadError(ReadFault.NO_ANSWER, f"address {device_id}: {detail}") from err
        except ModbusException as err:
            raise MeterReadError(ReadFault.NO_ANSWER, f"address {device_id}: {err}") from err
        finally:
            self._waiting = False
            _OUR_REQUEST.reset(ours)
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

    def _connection_changed(self, connected: bool) -> None:
        # A request waiting for its answer gets none on a closed connection: it fails now
        # rather than after its timeout.
        if connected or not self._waiting:
            return
        waiting: asyncio.Future[object] = self._client.ctx.response_future
        if not waiting.done():
            waiting.set_exception(_ConnectionDropped())

    def _count_packet(self, sending: bool, packet: bytes) -> bytes:
        if sending:
            self.counters.bytes_sent += len(packet)
        else:
            self.counters.bytes_received += len(packet)
        return packet
