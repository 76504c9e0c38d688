"""Editing a wireless M-Bus telegram's values: a template with named data fields.

A template is a telegram as the upstream test suites write it: hex, DLL CRCs already
removed, `_` where the (already decrypted) payload starts. A field is named by the
header of its data record (DIF, DIFEs, VIF, VIFEs, in hex, e.g. `0413` for a volume in
litres); the header must occur exactly once in the template, and the data size follows
from the DIF. Rendering writes new data into the fields and, for a Kamstrup ELL frame
(CI 0x8D), recomputes the 2-byte payload CRC that follows the ELL header, which
wmbusmeters always checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

# Data length by the low nibble of the DIF: 8-, 16-, 24-, 32-, 48- and 64-bit integers.
_DATA_LENGTH = {0x1: 1, 0x2: 2, 0x3: 3, 0x4: 4, 0x6: 6, 0x7: 8}
_CRC_POLYNOMIAL = 0x3D65  # EN 13757-4


def crc16_en13757(data: bytes | bytearray) -> int:
    """The CRC-16 of EN 13757 (polynomial 0x3D65, initial 0, final XOR 0xFFFF)."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ _CRC_POLYNOMIAL) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc ^ 0xFFFF


def integer(value: int, length: int) -> bytes:
    """A signed M-Bus integer: two's complement, least significant byte first."""
    return value.to_bytes(length, "little", signed=True)


def date_time_f(moment: datetime) -> bytes:
    """An M-Bus date and time, type F (CP32): minute, hour, day, month, two-digit year."""
    year = moment.year % 100
    return bytes(
        (
            moment.minute,
            moment.hour,
            moment.day | (year & 0x07) << 5,
            moment.month | (year >> 3) << 4,
        )
    )


@dataclass(frozen=True, slots=True)
class FrameTemplate:
    """A telegram whose named data fields can be replaced."""

    frame: bytes
    # field name -> (offset of its data, length)
    fields: Mapping[str, tuple[int, int]]
    # Offset of an ELL payload CRC, which covers everything after it.
    ell_crc_at: int | None = None

    @classmethod
    def parse(
        cls, source_form: str, fields: Mapping[str, str], *, ell_crc: bool = False
    ) -> FrameTemplate:
        """A template from a telegram's source form and its fields' record headers.

        With `ell_crc`, the payload CRC is the two bytes right after the `_`.
        """
        head, _, _payload = source_form.partition("_")
        frame = bytes.fromhex(source_form.replace("_", ""))
        located: dict[str, tuple[int, int]] = {}
        for name, header_hex in fields.items():
            header = bytes.fromhex(header_hex)
            at = frame.find(header)
            if at < 0 or frame.find(header, at + 1) >= 0:
                raise ValueError(f"record header {header_hex} is not in the telegram exactly once")
            located[name] = (at + len(header), _DATA_LENGTH[header[0] & 0x0F])
        return cls(frame, located, len(head) // 2 if ell_crc else None)

    def render(self, values: Mapping[str, bytes]) -> bytes:
        """The telegram with the given fields' data replaced (the others as in the template)."""
        frame = bytearray(self.frame)
        for name, data in values.items():
            at, length = self.fields[name]
            if len(data) != length:
                raise ValueError(f"{name} takes {length} bytes, not {len(data)}")
            frame[at : at + length] = data
        if self.ell_crc_at is not None:
            crc = crc16_en13757(frame[self.ell_crc_at + 2 :])
            frame[self.ell_crc_at : self.ell_crc_at + 2] = crc.to_bytes(2, "little")
        return bytes(frame)
