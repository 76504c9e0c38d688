"""What a Modbus RTU request costs on the RS485 wire: its frames and silent intervals."""

from __future__ import annotations

from collections.abc import Iterable

# Device address, function code, start address (2), register count (2), CRC (2).
REQUEST_BYTES = 8
# Device address, function code, byte count, the registers, CRC (2).
RESPONSE_OVERHEAD_BYTES = 5
# Modbus over serial line V1.02, 2.5.1.1: frames are separated by 3.5 character times of
# silence, fixed at 1.75 ms above 19200 baud.
SILENT_INTERVAL_CHARS = 3.5
FAST_SILENT_INTERVAL_S = 0.00175
FAST_BAUDRATE = 19200


def request_bytes(count: int) -> int:
    """Bytes on the wire for one read of `count` registers: request and response."""
    return REQUEST_BYTES + RESPONSE_OVERHEAD_BYTES + 2 * count


def request_cost(count: int) -> float:
    """The wire time of one read, in character times: both frames and their silences."""
    return request_bytes(count) + 2 * SILENT_INTERVAL_CHARS


def bits_per_char(bytesize: int = 8, parity: str = "N", stopbits: int = 1) -> int:
    """Start bit, data bits, parity bit if any, and stop bits."""
    return 1 + bytesize + (0 if parity == "N" else 1) + stopbits


def wire_seconds(counts: Iterable[int], baudrate: int, char_bits: int = 10) -> float:
    """Seconds the RS485 wire is busy for reads of these register counts."""
    char_time = char_bits / baudrate
    silence = (
        SILENT_INTERVAL_CHARS * char_time if baudrate <= FAST_BAUDRATE else FAST_SILENT_INTERVAL_S
    )
    return sum(request_bytes(count) * char_time + 2 * silence for count in counts)
