"""The CRC16/ARC that DSMR 4 and 5 put after a telegram's `!`."""

from __future__ import annotations


def _table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_TABLE = _table()


def crc16_arc(data: bytes) -> int:
    """CRC16/ARC (polynomial 0x8005 reflected, initial value 0)."""
    crc = 0
    table = _TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def checksum_matches(telegram: bytes) -> bool:
    """Whether a framed telegram (from `/` to the CRC after `!`) carries its content's CRC.

    Some meters send the CRC unpadded (`!B9F`); a telegram without one fails.
    """
    end = telegram.rfind(b"!")
    written = telegram[end + 1 :].strip(b"\x00\r\n")
    if end < 0 or not 1 <= len(written) <= 4:
        return False
    try:
        expected = int(written, 16)
    except ValueError:
        return False
    return crc16_arc(telegram[: end + 1]) == expected
