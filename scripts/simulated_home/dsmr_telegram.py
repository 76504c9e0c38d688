"""A DSMR telegram template: a real telegram whose values are replaced per OBIS reference."""

from __future__ import annotations

from datetime import datetime
import re


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_arc(data: bytes) -> int:
    """CRC16/ARC (poly 0x8005 reflected, init 0), as DSMR 4 and 5 use it."""
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ _CRC_TABLE[(crc ^ byte) & 0xFF]
    return crc


def dsmr_timestamp(local: datetime) -> str:
    """YYMMDDhhmmss plus S (summer time) or W (winter time)."""
    return local.strftime("%y%m%d%H%M%S") + ("S" if local.dst() else "W")


_LINE = re.compile(r"^(\d+-\d+:\d+\.\d+\.\d+)(.*)$")
_GROUP = re.compile(r"\(([^()]*)\)")
_NUMBER = re.compile(r"^(\d+)(?:\.(\d+))?")


def format_like(sample: str, value: float) -> str:
    """A number with as many digits as the template's (zero-padded, same decimals)."""
    match = _NUMBER.match(sample)
    if match is None:
        raise ValueError(f"not a number: {sample!r}")
    whole, decimals = match.group(1), match.group(2)
    if decimals is None:
        return f"{round(value):0{len(whole)}d}"
    return f"{value:0{len(whole) + 1 + len(decimals)}.{len(decimals)}f}"


class TelegramTemplate:
    """A telegram with its values replaceable per OBIS reference."""

    def __init__(self, raw: bytes) -> None:
        text = raw.decode("ascii")
        body = text[: text.index("!") + 1]
        # Each line: the OBIS reference (None for the header, blank and end lines),
        # then its value groups, or the whole line.
        self._lines: list[tuple[str | None, list[str]]] = []
        for line in body.split("\r\n"):
            if match := _LINE.match(line):
                self._lines.append((match.group(1), _GROUP.findall(match.group(2))))
            else:
                self._lines.append((None, [line]))
        self.values = {obis: groups for obis, groups in self._lines if obis is not None}

    def render(self, replacements: dict[str, dict[int, float | str]]) -> bytes:
        """The telegram with some values replaced, CRC included, ready for the wire.

        replacements: OBIS reference -> {group index: a number (formatted like the
        template's, unit kept) or a string (taken as is)}.
        """
        out = []
        for obis, groups in self._lines:
            if obis is None:
                out.append(groups[0])
                continue
            changes = replacements.get(obis, {})
            values = [_replace(old, changes.get(i)) for i, old in enumerate(groups)]
            out.append(obis + "".join(f"({value})" for value in values))
        body = "\r\n".join(out).encode("ascii")
        return body + f"{crc16_arc(body):04X}\r\n".encode("ascii")


def _replace(old: str, new: float | str | None) -> str:
    if new is None:
        return old
    if isinstance(new, str):
        return new
    unit = old[old.index("*") :] if "*" in old else ""
    return format_like(old, new) + unit
