"""From the bytes a P1 port sends to readings: framing, CRC, decryption and parsing.

Parsing is dsmr-parser's, with a specification cut down to the objects the
integration reads; the CRC is checked here, in one pass over the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import logging
from typing import Any

from dsmr_parser.clients.telegram_buffer import EncryptedTelegramBuffer, TelegramBuffer
from dsmr_parser.exceptions import DecryptionError, ParseError
from dsmr_parser.parsers import TelegramParser

from .crc import checksum_matches
from .reading import P1Reading
from .telegram_mapping import NEEDED_NAMES, UnknownUnitError, reading_from_telegram
from .versions import VERSIONS, DsmrVersion, plaintext_specification

_LOGGER = logging.getLogger(__name__)

# A stream that never frames a telegram is not allowed to grow without bound.
MAX_BUFFERED_CHARACTERS = 16_384


class Rejection(StrEnum):
    """Why a telegram was thrown away; the values are diagnostics counter names."""

    CHECKSUM = "checksum"
    NOT_ASCII = "not_ascii"
    PARSE = "parse"
    TIMESTAMP = "timestamp"
    UNIT = "unit"
    DECRYPTION = "decryption"


@dataclass(frozen=True, slots=True)
class Decoded:
    """One framed telegram: its reading, or why it has none."""

    reading: P1Reading | None = None
    rejection: Rejection | None = None
    detail: str = ""


def reduced_specification(specification: dict[str, Any]) -> dict[str, Any]:
    """A specification holding only the objects the integration reads."""
    return {
        **specification,
        "objects": [obj for obj in specification["objects"] if obj["value_name"] in NEEDED_NAMES],
    }


class TelegramDecoder:
    """Frames the telegrams of a byte stream and decodes each one."""

    def __init__(self, version: DsmrVersion, key: str | None = None) -> None:
        """Read the telegrams of one DSMR variant; `key` decrypts an encrypted meter."""
        info = VERSIONS[version]
        self.version = version
        self._info = info
        self._key = key or ""
        # A meter that encrypts is read in plaintext when a reader decrypts for us.
        encrypted = info.encrypted and bool(key)
        specification = info.specification if encrypted else plaintext_specification(version)
        self._check_crc = bool(specification["checksum_support"]) and not encrypted
        # An encrypted telegram's CRC is checked by dsmr-parser after decryption.
        self._parser = TelegramParser(
            reduced_specification(specification), apply_checksum_validation=encrypted
        )
        self._plain = TelegramBuffer() if not encrypted else None
        self._frames = EncryptedTelegramBuffer() if encrypted else None

    def feed(self, data: bytes) -> list[Decoded]:
        """Take the next bytes of the stream; decode the telegrams they complete."""
        if self._frames is not None:
            self._frames.append(data)
            return [self.decode(frame) for frame in self._frames.get_all()]
        if self._plain is None:
            return []
        self._plain.append(data.decode("latin-1"))
        decoded = [self.decode(telegram) for telegram in self._plain.get_all()]
        # Garbage without a telegram end: keep only what a telegram could still use.
        if len(self._plain._buffer) > MAX_BUFFERED_CHARACTERS:  # noqa: SLF001
            start = self._plain._buffer.rfind("/")  # noqa: SLF001
            self._plain._buffer = self._plain._buffer[start:] if start >= 0 else ""  # noqa: SLF001
        return decoded

    def decode(self, telegram: str) -> Decoded:
        """Decode one framed telegram (a hex string for an encrypted meter)."""
        if self._check_crc and not checksum_matches(telegram.encode("latin-1")):
            return Decoded(rejection=Rejection.CHECKSUM)
        if not telegram.isascii():
            return Decoded(rejection=Rejection.NOT_ASCII)
        parsed = self._parse(telegram)
        if isinstance(parsed, Decoded):
            return parsed
        timestamp = getattr(parsed, "P1_MESSAGE_TIMESTAMP", None)
        if timestamp is not None and timestamp.value is None:
            return Decoded(rejection=Rejection.TIMESTAMP)
        try:
            reading = reading_from_telegram(
                parsed,
                swapped_tariffs=self._info.swapped_tariffs,
                header=_identification(telegram),
            )
        except UnknownUnitError as err:
            return Decoded(rejection=Rejection.UNIT, detail=str(err))
        return Decoded(reading=reading)

    def _parse(self, telegram: str) -> Any:
        """dsmr-parser's telegram, or the Decoded rejection of one it cannot read."""
        try:
            return self._parser.parse(
                telegram, encryption_key=self._key, authentication_key=None, throw_ex=True
            )
        except DecryptionError as err:
            return Decoded(rejection=Rejection.DECRYPTION, detail=str(err))
        except ParseError as err:
            return Decoded(rejection=Rejection.PARSE, detail=str(err))
        except (ValueError, TypeError, IndexError) as err:
            # dsmr-parser lets a malformed frame or value raise whatever its parser hits.
            return Decoded(rejection=Rejection.PARSE, detail=f"{type(err).__name__}: {err}")


def _identification(telegram: str) -> str | None:
    """The identification line that opens a plaintext telegram, without its `/`."""
    if not telegram.startswith("/"):
        return None
    end = telegram.find("\r\n")
    return telegram[1:end] if end > 0 else None
