"""The settings of a wireless M-Bus meter, as its config subentry stores them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
import re
from typing import Any

from homeassistant.config_entries import ConfigSubentry

from ..const import (
    CONF_DETECTED_DRIVER,
    CONF_DRIVER,
    CONF_FIELDS,
    CONF_KEY,
    CONF_METER_ID,
    CONF_ROLE,
    DRIVER_AUTO,
)
from ..domain.roles import Role

METER_ID = re.compile(r"\d{8}")
AES_KEY = re.compile(r"[0-9A-F]{32}")


def normalize_meter_id(text: str) -> str | None:
    """The 8-digit id in what the user typed, or None when it is not one."""
    meter_id = text.strip()
    return meter_id if METER_ID.fullmatch(meter_id) else None


def normalize_key(text: str | None) -> str | None:
    """The AES key in upper-case hex without spaces or dashes; "" for no key; None if invalid."""
    key = re.sub(r"[\s:-]", "", text or "").upper()
    if not key:
        return ""
    return key if AES_KEY.fullmatch(key) else None


@dataclass(frozen=True, slots=True)
class WmbusMeterSettings:
    """A wireless M-Bus meter: its id, how wmbusmeters decodes it, and its role.

    `driver` is what the user chose ("auto" lets wmbusmeters pick); `detected_driver` is
    the driver its telegrams came from, and `fields` the values they carried, so that a
    restarted installation has the meter's entities before its next telegram.
    """

    meter_id: str
    driver: str
    key: str | None
    role: Role
    fields: tuple[str, ...] = ()
    detected_driver: str | None = None

    @property
    def effective_driver(self) -> str:
        """The driver its entities follow: the chosen one, or the one its telegrams name."""
        if self.driver != DRIVER_AUTO:
            return self.driver
        return self.detected_driver or DRIVER_AUTO

    @classmethod
    def from_subentry(cls, subentry: ConfigSubentry) -> WmbusMeterSettings:
        """Read the settings of a meter subentry."""
        return cls.from_data(subentry.data)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WmbusMeterSettings:
        """Read the stored form."""
        return cls(
            meter_id=data[CONF_METER_ID],
            driver=data.get(CONF_DRIVER) or DRIVER_AUTO,
            key=data.get(CONF_KEY) or None,
            role=Role(data[CONF_ROLE]),
            fields=tuple(data.get(CONF_FIELDS, ())),
            detected_driver=data.get(CONF_DETECTED_DRIVER),
        )

    def as_data(self) -> dict[str, Any]:
        """The form stored in the subentry."""
        data: dict[str, Any] = {
            CONF_METER_ID: self.meter_id,
            CONF_DRIVER: self.driver,
            CONF_KEY: self.key,
            CONF_ROLE: self.role.value,
            CONF_FIELDS: list(self.fields),
        }
        if self.detected_driver is not None:
            data[CONF_DETECTED_DRIVER] = self.detected_driver
        return data

    def with_heard(self, driver: str, fields: Iterable[str]) -> WmbusMeterSettings:
        """These settings widened by what a telegram carried."""
        return replace(
            self,
            fields=tuple(sorted({*self.fields, *fields})),
            detected_driver=driver,
        )
