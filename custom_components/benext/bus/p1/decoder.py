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
from .reading import P1Quantity, P1Reading
from .telegram_mapping import NEEDED_NAMES, UnknownUnitError, reading_from_telegram
from .versions import VERSIONS, DsmrVersion, plaintext_specification

_LOGGER = logging.getLogger(__name__)

# The longest telegram a meter can send, in characters (bytes). DSMR 5's longest, with
# its 1024-character text message (2048 hex digits) and four M-Bus channels, stays under
# 3 KiB, and the largest captured fixture is 1.4 KiB; an encrypted frame is its plaintext
# plus a few dozen bytes. A frame still open at this size is no telegram: it is dropped,
# and the decoder never holds more than this.
MAX_TELEGRAM_CHARACTERS = 8_192

# What a home connection can carry at most: 3 phases x 80 A x 230 V (the largest
# residential main fuse in Belgium and the Netherlands), about 55 kW. A telegram
# without CRC that shows more power than this was garbled on the line.
MAX_HOME_POWER_W = 3 * 80 * 230.0
POWER_QUANTITIES = frozenset(
    quantity
    for quantity in P1Quantity
    if quantity.startswith("power_")
    or quantity in (P1Quantity.AVERAGE_DEMAND, P1Quantity.MONTH_PEAK)
)


class Rejection(StrEnum):
    """Why a telegram was thrown away; the values are diagnostics counter names."""

    CHECKSUM = "checksum"
    NOT_ASCII = "not_ascii"
    PARSE = "parse"
    TIMESTAMP = "timestamp"
    UNIT = "unit"
    DECRYPTION = "decryption"
    TOO_LONG = "too_long"
    IMPLAUSIBLE = "implausible"


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
        # Nothing vouches for a plaintext telegram without CRC: its values are checked.
        self._unchecked = not self._check_crc and not encrypted
        # An encrypted telegram's CRC is checked by dsmr-parser after decryption.
        self._parser = TelegramParser(
            reduced_specification(specification), apply_checksum_validation=encrypted
        )
        self._plain = TelegramBuffer() if not encrypted else None
        self._frames = EncryptedTelegramBuffer() if encrypted else None

    def feed(self, data: bytes) -> list[Decoded]:
        """Take the next bytes of the stream; decode the telegrams they complete."""
        if self._frames is not None:
            return self._feed_encrypted(self._frames, data)
        if self._plain is None:
            return []
        self._plain.append(data.decode("latin-1"))
        decoded = [self.decode(telegram) for telegram in self._plain.get_all()]
        # A telegram holds no `/` but the one that opens it: what precedes the last one
        # can never be part of a telegram, and a frame open for too long is none.
        buffer = self._plain._buffer  # noqa: SLF001
        start = buffer.rfind("/")
        pending = buffer[start:] if start >= 0 else ""
        if len(pending) > MAX_TELEGRAM_CHARACTERS:
            pending = ""
            decoded.append(Decoded(rejection=Rejection.TOO_LONG))
        self._plain._buffer = pending  # noqa: SLF001
        return decoded

    @property
    def buffered(self) -> int:
        """How many characters (bytes) the decoder holds of a telegram still to end."""
        if self._frames is not None:
            return len(self._frames._buffer)  # noqa: SLF001
        return len(self._plain._buffer) if self._plain is not None else 0  # noqa: SLF001

    def _feed_encrypted(self, frames: EncryptedTelegramBuffer, data: bytes) -> list[Decoded]:
        frames.append(data)
        decoded = [self.decode(frame) for frame in frames.get_all()]
        # The frame at the start says it is longer than any telegram: its tag was noise.
        # Resync on the next tag, as dsmr-parser does for a frame it does not understand.
        buffer = frames._buffer  # noqa: SLF001
        while len(buffer) > MAX_TELEGRAM_CHARACTERS:
            next_tag = buffer.find(EncryptedTelegramBuffer.GENERAL_GLOBAL_CIPHER_TAG, 1)
            del buffer[: next_tag if next_tag > 0 else len(buffer)]
            decoded += [self.decode(frame) for frame in frames.get_all()]
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
        implausible = _implausible_power(reading) if self._unchecked else ""
        return Decoded(
            reading=None if implausible else reading,
            rejection=Rejection.IMPLAUSIBLE if implausible else None,
            detail=implausible,
        )

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


def _implausible_power(reading: P1Reading) -> str:
    """The power values beyond what a home connection carries, or "" when there is none.

    Only a telegram without CRC needs this: a CRC catches what the line garbled.
    """
    return ", ".join(
        f"{quantity} {value:g} W"
        for quantity, value in reading.values.items()
        if quantity in POWER_QUANTITIES and abs(value) > MAX_HOME_POWER_W
    )


def _identification(telegram: str) -> str | None:
    """The identification line that opens a plaintext telegram, without its `/`."""
    if not telegram.startswith("/"):
        return None
    end = telegram.find("\r\n")
    return telegram[1:end] if end > 0 else None
