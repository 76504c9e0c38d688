"""Synthetic variants of the fixtures' telegrams: one value changed, decoded by wmbusmeters.

Not meter captures: each takes an upstream telegram (tests/fixtures/wmbus_telegrams.json)
and changes one record, the way the fixture file's own synthetic telegrams were made. A
Kamstrup ELL frame's payload CRC is computed again, as wmbusmeters checks it.
"""

from __future__ import annotations

from dataclasses import replace

from tests.wmbus_fixtures import WMBUS_FIXTURES, WmbusFixture

# Kamstrup Multical 21, LEAK (synthetic), Axioma Qalcosonic E4 with ERROR_FLAGS_4000
# (synthetic), Elvaco CMa12w at 23.34 °C.
MULTICAL21 = WMBUS_FIXTURES[3]
QALCOSONIC_E4 = WMBUS_FIXTURES[15]
CMA12W = WMBUS_FIXTURES[10]

# The records changed: DIF/VIF, then the value as the telegram carries it.
_INFO_CODE = "02FF20"  # Multical 21 info code, 16 bits
_TOTAL_LITRES = "0413"  # Multical 21 volume in litres, 32 bits
_ERROR_FLAGS = "34FD17"  # Qalcosonic error flags, 32 bits
_TEMPERATURE = "0265"  # CMa12w temperature in 1/100 °C, 16 bits


def multical21(*, info_code: int = 0, total_litres: int = 6408) -> WmbusFixture:
    """The Multical 21 with its info code (0x0002 reverse flow) and volume."""
    telegram = bytearray.fromhex(MULTICAL21.telegram_hex)
    _set(telegram, _INFO_CODE, info_code, 2)
    _set(telegram, _TOTAL_LITRES, total_litres, 4)
    # ELL II: CI 8D, CC, ACC, SN (4 bytes), then the payload's CRC and the payload.
    crc_at = telegram.index(0x8D) + 7
    telegram[crc_at : crc_at + 2] = _crc_en13757(telegram[crc_at + 2 :]).to_bytes(2, "little")
    return replace(MULTICAL21, telegram_hex=telegram.hex().upper())


def qalcosonic_e4(error_flags: int) -> WmbusFixture:
    """The Qalcosonic E4 heat meter reporting `error_flags` (0x0080: supply sensor T1)."""
    telegram = bytearray.fromhex(QALCOSONIC_E4.telegram_hex)
    _set(telegram, _ERROR_FLAGS, error_flags, 4)
    return replace(QALCOSONIC_E4, telegram_hex=telegram.hex().upper())


def cma12w(celsius: float) -> WmbusFixture:
    """The CMa12w room sensor measuring `celsius`."""
    telegram = bytearray.fromhex(CMA12W.telegram_hex)
    _set(telegram, _TEMPERATURE, round(celsius * 100), 2)
    return replace(CMA12W, telegram_hex=telegram.hex().upper())


def _set(telegram: bytearray, record: str, value: int, size: int) -> None:
    header = bytes.fromhex(record)
    at = telegram.index(header) + len(header)
    telegram[at : at + size] = value.to_bytes(size, "little")


def _crc_en13757(data: bytes | bytearray) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x3D65) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc ^ 0xFFFF
