"""Turn a meter's registers into values: float32, int16, and its serial number."""

from __future__ import annotations

from collections.abc import Sequence
import math
import struct

from .planner import ReadBlock
from .quantities import Quantity
from .register_maps import Encoding, Register, RegisterMap, SerialFormat


def decode_block(
    register_map: RegisterMap, block: ReadBlock, registers: Sequence[int]
) -> dict[Quantity, float | None]:
    """The values a read of `block` carries; None where the meter has no value (NaN)."""
    if len(registers) < block.count:
        raise ValueError(f"expected {block.count} registers, got {len(registers)}")
    values: dict[Quantity, float | None] = {}
    for quantity in block.quantities:
        register = register_map.registers[quantity]
        offset = register.address - block.address
        values[quantity] = decode_value(
            register, registers[offset : offset + register.encoding.size]
        )
    return values


def decode_value(register: Register, words: Sequence[int]) -> float | None:
    """One value from its registers, scaled; None for NaN or infinity."""
    raw = struct.pack(f">{len(words)}H", *words)
    value: float
    match register.encoding:
        case Encoding.FLOAT32:
            # float32 holds 7 significant digits; more would show conversion noise.
            value = float(f"{struct.unpack('>f', raw)[0]:.7g}")
        case Encoding.INT16:
            value = struct.unpack(">h", raw)[0]
        case Encoding.UINT32:
            value = struct.unpack(">I", raw)[0]
    if not math.isfinite(value):
        return None
    return value * register.scale


def decode_serial(register_map: RegisterMap, words: Sequence[int]) -> str | None:
    """The serial number as printed on the meter; None when it reads as unset."""
    number = struct.unpack(">I", struct.pack(">2H", *words[:2]))[0]
    if number in (0, 0xFFFFFFFF):
        return None
    if register_map.serial_format is SerialFormat.HEX:
        return f"{number:08X}"
    return str(number)
