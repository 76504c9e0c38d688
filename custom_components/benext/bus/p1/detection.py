"""Tell a smart meter's DSMR variant, maker, model and serial from what its P1 port sends.

The telegram is parsed with every plaintext specification dsmr-parser has; the one
that recognises most of its lines wins. The version line `1-3:0.2.8` then tells
DSMR 4 from 5, and the line settings tell DSMR 5 from the `4+` variant.
"""

from __future__ import annotations

from dataclasses import dataclass
import re

from dsmr_parser.clients.telegram_buffer import EncryptedTelegramBuffer, TelegramBuffer
from dsmr_parser.exceptions import ParseError
from dsmr_parser.parsers import TelegramParser

from .crc import checksum_matches
from .decoder import TelegramDecoder
from .reading import P1Reading
from .versions import LINE_115200_7E1, DsmrVersion, LineSettings, plaintext_specification

# Plaintext variants, in the order that wins a tie.
PLAINTEXT_CANDIDATES = (
    DsmrVersion.V5,
    DsmrVersion.BELGIUM,
    DsmrVersion.LUXEMBOURG,
    DsmrVersion.V4,
    DsmrVersion.V2_2,
    DsmrVersion.SWEDEN,
    DsmrVersion.EON_HUNGARY,
    DsmrVersion.EASYMETER_Q3D,
    DsmrVersion.ISKRA_IE,
    DsmrVersion.SAGEMCOM_T210_D_R,
)
# Variants whose telegrams carry the DSMR version line; without it they lose a tie.
WITH_VERSION_LINE = frozenset({DsmrVersion.V4, DsmrVersion.V5, DsmrVersion.LUXEMBOURG})
ENCRYPTED_CANDIDATES = (DsmrVersion.LUXEMBOURG_ENCRYPTED, DsmrVersion.SAGEMCOM_T210_D_R)

_CHECKSUM = re.compile(r"![0-9A-Fa-f]{1,4}\s*$")
_VERSION_LINE = re.compile(r"^1-3:0\.2\.8\((\d)\d\)", re.MULTILINE)
# A firmware version after the model on the identification line (`Q3DA1004 V3.04`).
_FIRMWARE_SUFFIX = re.compile(r"\s+V?\d+(\.\d+)+$", re.IGNORECASE)

# The three-letter flag that opens a telegram names the maker (the DLMS flag ID list).
MAKERS = {
    "ISK": "Iskraemeco",
    "KFM": "Kaifa",
    "KMP": "Kamstrup",
    "XMX": "Landis+Gyr",
    "LGB": "Landis+Gyr",
    "ENE": "Sagemcom",
    "SAG": "Sagemcom",
    "EST": "Sagemcom",
    "FLU": "Fluvius",
    "ESY": "EasyMeter",
    "NWA": "Warmtelink",
}


@dataclass(frozen=True, slots=True)
class P1Detection:
    """What the first telegram told about the meter."""

    version: DsmrVersion | None
    reading: P1Reading | None
    # The frames are encrypted: the meter's key is needed before anything else is known.
    encrypted: bool = False

    @property
    def manufacturer(self) -> str | None:
        """The maker, from the flag at the start of the identification line."""
        if not self.reading_header:
            return None
        flag = self.reading_header[:3]
        return MAKERS.get(flag.upper(), flag)

    @property
    def model(self) -> str | None:
        """The model, from the rest of the identification line."""
        header = self.reading_header
        if len(header) < 5:
            return None
        # After the flag comes one baud rate character, then an optional `\\<digit>`.
        model = header[4:]
        if model.startswith("\\") and len(model) > 2:
            model = model[2:]
        # Some meters send a control character where others send `\\2` (Iskra IE: 0x02).
        model = "".join(character for character in model if character.isprintable())
        return _FIRMWARE_SUFFIX.sub("", model.strip()) or None

    @property
    def reading_header(self) -> str:
        """The identification line without its `/`."""
        if self.reading is None or self.reading.header is None:
            return ""
        return self.reading.header.lstrip("/")

    @property
    def serial(self) -> str | None:
        """The meter's serial number as printed on it, else its equipment identifier."""
        if self.reading is None:
            return None
        return self.reading.serial_number or self.reading.equipment_id


def first_encrypted_frame(data: bytes) -> str | None:
    """The first complete encrypted frame in `data` (as hex), if there is one."""
    buffer = EncryptedTelegramBuffer()
    buffer.append(data)
    return next(iter(buffer.get_all()), None)


def detect(
    data: bytes, line: LineSettings | None = None, key: str | None = None
) -> P1Detection | None:
    """The meter behind `data`, or None when it holds no telegram that any variant reads.

    `line` is the serial line the bytes came in on (None over a network); `key`
    decrypts an encrypted meter.
    """
    buffer = TelegramBuffer()
    buffer.append(data.decode("latin-1"))
    for telegram in buffer.get_all():
        # A telegram garbled on the line is skipped for the next one.
        if (detected := _detect_plaintext(telegram, line)) is not None:
            return detected
    if (frame := first_encrypted_frame(data)) is not None:
        return _detect_encrypted(frame, key)
    return None


def _detect_plaintext(telegram: str, line: LineSettings | None) -> P1Detection | None:
    raw = telegram.encode("latin-1")
    if _CHECKSUM.search(telegram) and not checksum_matches(raw):
        return None
    best: tuple[int, DsmrVersion] | None = None
    has_version_line = _VERSION_LINE.search(telegram) is not None
    for version in PLAINTEXT_CANDIDATES:
        score = _recognised_objects(telegram, version)
        if score is None:
            continue
        if version in WITH_VERSION_LINE and not has_version_line:
            score -= 1
        if best is None or score > best[0]:
            best = (score, version)
    if best is None:
        return None
    version = best[1]
    if version in (DsmrVersion.V4, DsmrVersion.V5):
        match = _VERSION_LINE.search(telegram)
        version = DsmrVersion.V4 if match and match.group(1) == "4" else DsmrVersion.V5
        if version is DsmrVersion.V5 and line == LINE_115200_7E1:
            version = DsmrVersion.V4_PLUS
    decoded = TelegramDecoder(version).decode(telegram)
    return P1Detection(version=version, reading=decoded.reading)


def _recognised_objects(telegram: str, version: DsmrVersion) -> int | None:
    """How many objects the variant reads in the telegram; None when it refuses it."""
    specification = plaintext_specification(version)
    has_checksum = _CHECKSUM.search(telegram) is not None
    # A variant that checks a CRC refuses a telegram without one; the others ignore it.
    if specification["checksum_support"] and not has_checksum:
        return None
    try:
        parsed = TelegramParser(specification).parse(telegram)
    except ParseError, ValueError, TypeError, IndexError:
        return None
    devices = getattr(parsed, "MBUS_DEVICES", [])
    return sum(1 for _ in parsed) + sum(len(device) for device in devices)


def _detect_encrypted(frame: str, key: str | None) -> P1Detection:
    if not key:
        return P1Detection(version=None, reading=None, encrypted=True)
    for version in ENCRYPTED_CANDIDATES:
        decoded = TelegramDecoder(version, key).decode(frame)
        if decoded.reading is not None:
            return P1Detection(version=version, reading=decoded.reading, encrypted=True)
    return P1Detection(version=None, reading=None, encrypted=True)
