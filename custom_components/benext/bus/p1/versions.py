"""The DSMR variants dsmr-parser reads, and how each is sent on the P1 port."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dsmr_parser import telegram_specifications


class DsmrVersion(StrEnum):
    """A telegram specification; the values are those of Home Assistant's `dsmr`."""

    V2_2 = "2.2"
    V3 = "3"
    V4 = "4"
    # A DSMR 5 telegram on DSMR 4's line settings, as some 4.2 meters send.
    V4_PLUS = "4+"
    V5 = "5"
    BELGIUM = "5B"
    LUXEMBOURG = "5L"
    LUXEMBOURG_ENCRYPTED = "MSn"
    SWEDEN = "5S"
    EASYMETER_Q3D = "Q3D"
    EON_HUNGARY = "5EONHU"
    SAGEMCOM_T210_D_R = "SAGEMCOM_T210_D_R"
    ISKRA_IE = "ISKRA_IE"


@dataclass(frozen=True, slots=True)
class LineSettings:
    """How the P1 port sends: baud rate and character format."""

    baudrate: int
    bytesize: int
    parity: str

    def as_serial_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of a serial port."""
        return {"baudrate": self.baudrate, "bytesize": self.bytesize, "parity": self.parity}


LINE_9600_7E1 = LineSettings(9600, 7, "E")
LINE_115200_7E1 = LineSettings(115200, 7, "E")
LINE_115200_8N1 = LineSettings(115200, 8, "N")
# The settings to try, most common first, when the meter's version is not known yet.
LINE_SETTINGS_TO_TRY = (LINE_115200_8N1, LINE_9600_7E1, LINE_115200_7E1)


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """What reading one DSMR variant takes."""

    specification: dict[str, Any]
    line: LineSettings
    # Its active tariff counts 1 as normal and 2 as low, the other way round from DSMR.
    swapped_tariffs: bool = False
    # Its telegrams are DLMS frames, AES-GCM encrypted with the meter's own key.
    encrypted: bool = False
    # Its energy in Wh and power in W, where DSMR uses kWh and kW.
    in_watt_hours: bool = False


VERSIONS: dict[DsmrVersion, VersionInfo] = {
    DsmrVersion.V2_2: VersionInfo(telegram_specifications.V2_2, LINE_9600_7E1),
    DsmrVersion.V3: VersionInfo(telegram_specifications.V3, LINE_9600_7E1),
    DsmrVersion.V4: VersionInfo(telegram_specifications.V4, LINE_115200_7E1),
    DsmrVersion.V4_PLUS: VersionInfo(telegram_specifications.V5, LINE_115200_7E1),
    DsmrVersion.V5: VersionInfo(telegram_specifications.V5, LINE_115200_8N1),
    DsmrVersion.BELGIUM: VersionInfo(
        telegram_specifications.BELGIUM_FLUVIUS, LINE_115200_8N1, swapped_tariffs=True
    ),
    DsmrVersion.LUXEMBOURG: VersionInfo(telegram_specifications.LUXEMBOURG_SMARTY, LINE_115200_8N1),
    DsmrVersion.LUXEMBOURG_ENCRYPTED: VersionInfo(
        telegram_specifications.MSN, LINE_115200_8N1, encrypted=True
    ),
    DsmrVersion.SWEDEN: VersionInfo(telegram_specifications.SWEDEN, LINE_115200_8N1),
    DsmrVersion.EASYMETER_Q3D: VersionInfo(telegram_specifications.Q3D, LINE_115200_8N1),
    DsmrVersion.EON_HUNGARY: VersionInfo(
        telegram_specifications.EON_HUNGARY, LINE_115200_8N1, swapped_tariffs=True
    ),
    DsmrVersion.SAGEMCOM_T210_D_R: VersionInfo(
        telegram_specifications.SAGEMCOM_T210_D_R,
        LINE_115200_8N1,
        encrypted=True,
        in_watt_hours=True,
    ),
    DsmrVersion.ISKRA_IE: VersionInfo(telegram_specifications.ISKRA_IE, LINE_115200_8N1),
}


def plaintext_specification(version: DsmrVersion) -> dict[str, Any]:
    """The specification of the decrypted telegram, for a meter whose frames are decrypted.

    A reader that decrypts for us (or the decryption step itself) hands over the
    plaintext telegram, which dsmr-parser's encrypted specification would refuse.
    """
    specification = VERSIONS[version].specification
    if not specification.get("general_global_cipher"):
        return specification
    return {**specification, "general_global_cipher": False}
