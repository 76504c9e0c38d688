"""What the validation keeps across restarts, one store per installation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, TypedDict

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN

STORAGE_VERSION: Final = 1
# A validation runs every few minutes: its state is written at most this often.
SAVE_DELAY: Final = 60


class _StoredData(TypedDict):
    validation_start: str
    first_seen: dict[str, str]
    passing_since: str | None
    uninterrupted_since: str | None
    last_run: str | None


@dataclass(frozen=True, slots=True)
class StoredValidation:
    """The validation start, when each finding was first seen, and the passing streak."""

    validation_start: datetime
    first_seen: dict[str, datetime] = field(default_factory=dict)
    # Since when every check has passed without a break.
    passing_since: datetime | None = None
    # Since when every bus and meter has delivered without a gap.
    uninterrupted_since: datetime | None = None
    last_run: datetime | None = None

    def as_data(self) -> _StoredData:
        """The JSON the store writes."""
        return {
            "validation_start": self.validation_start.isoformat(),
            "first_seen": {key: moment.isoformat() for key, moment in self.first_seen.items()},
            "passing_since": _iso(self.passing_since),
            "uninterrupted_since": _iso(self.uninterrupted_since),
            "last_run": _iso(self.last_run),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> StoredValidation | None:
        """What the store read; None when it is not what this version writes."""
        start = _moment(data.get("validation_start"))
        if start is None:
            return None
        first_seen = data.get("first_seen")
        return cls(
            validation_start=start,
            first_seen={
                key: moment
                for key, text in (first_seen if isinstance(first_seen, dict) else {}).items()
                if (moment := _moment(text)) is not None
            },
            passing_since=_moment(data.get("passing_since")),
            uninterrupted_since=_moment(data.get("uninterrupted_since")),
            last_run=_moment(data.get("last_run")),
        )


class ValidationStore:
    """The store of one installation's validation, under `.storage/benext.validation.<id>`."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """The store of the installation `entry_id`."""
        self._store: Store[_StoredData] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.validation.{entry_id}"
        )

    async def async_load(self) -> StoredValidation | None:
        """What was stored; None for a new installation."""
        data = await self._store.async_load()
        return StoredValidation.from_data(dict(data)) if data is not None else None

    @callback
    def async_save(self, stored: StoredValidation) -> None:
        """Write `stored` soon (and at the latest when Home Assistant stops)."""
        self._store.async_delay_save(stored.as_data, SAVE_DELAY)

    async def async_save_now(self, stored: StoredValidation) -> None:
        """Write `stored` at once, in place of a write still to come."""
        await self._store.async_save(stored.as_data())

    async def async_remove(self) -> None:
        """Delete the store, when the installation is deleted."""
        await self._store.async_remove()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _moment(text: object) -> datetime | None:
    return dt_util.parse_datetime(text) if isinstance(text, str) else None
