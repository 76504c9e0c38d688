"""Modbus register encodings of the kWh meters, and where their registers are.

All the meters send big-endian words, a 32-bit value high word first ("ABCD").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import math
import struct

# A quiet NaN as Inepro meters send it: "not applicable on this model".
NAN_WORDS = (0x7FC0, 0x0000)


def encode_float32(value: float) -> list[int]:
    """An IEEE-754 float32 as two registers, high word first; NaN as the meters send it."""
    if math.isnan(value):
        return list(NAN_WORDS)
    high, low = struct.unpack(">HH", struct.pack(">f", value))
    return [high, low]


def decode_float32(registers: list[int]) -> float:
    """The float32 in two registers, high word first."""
    return float(struct.unpack(">f", struct.pack(">HH", *registers))[0])


def encode_uint32(value: int) -> list[int]:
    """An unsigned 32-bit integer as two registers, high word first."""
    return [(value >> 16) & 0xFFFF, value & 0xFFFF]


def encode_int16(value: int) -> int:
    """A signed 16-bit integer as one register (two's complement)."""
    return value & 0xFFFF


def float_words(values: Mapping[int, float]) -> dict[int, int]:
    """Registers of float32 values keyed by their first register's address."""
    words: dict[int, int] = {}
    for address, value in values.items():
        words[address], words[address + 1] = encode_float32(value)
    return words


@dataclass(frozen=True, slots=True)
class RegisterBlock:
    """A run of registers a meter has, read with one function code."""

    function_code: int
    start: int
    end: int  # exclusive

    def covers(self, function_code: int, address: int, count: int) -> bool:
        """Whether a read lies entirely inside this block."""
        return (
            function_code == self.function_code
            and self.start <= address
            and address + count <= self.end
        )
