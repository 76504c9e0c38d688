"""The installation's validation, run now and then: its verdict, its date, its repair issues."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .domain.validation.findings import Category
from .domain.validation.grace import due_findings, first_seen
from .domain.validation.validate import validate
from .domain.validation.verdict import Validation, Verdict, passing_since, validation_date
from .runtime import BeNextConfigEntry
from .validation_issues import async_update_validation_issues
from .validation_snapshot import MeterAmounts, home_snapshot
from .validation_statistics import async_meter_amounts
from .validation_store import StoredValidation, ValidationStore

# How often the installation is validated: well within the grace period of its issues.
VALIDATION_INTERVAL: Final = timedelta(minutes=5)
# A longer pause between two validations means Home Assistant was not running: the data
# has a gap there.
LONGEST_PAUSE: Final = 3 * VALIDATION_INTERVAL
# Findings that interrupt the data: a bus or a meter not delivering.
INTERRUPTING: Final = frozenset({Category.REACHABILITY, Category.VALUES_FORWARDED})


class InstallationValidation:
    """Validates one installation every few minutes, keeping what must survive a restart.

    `latest` holds every finding of the last run, as the `benext.validate` action shows
    the installer at once; `settled` only those that lasted the grace period, which the
    hub's entities and the repair issues show, so that neither flaps.
    """

    def __init__(self, hass: HomeAssistant, entry: BeNextConfigEntry) -> None:
        """Validate `entry`, from what its store holds."""
        self._hass = hass
        self._entry = entry
        self._store = ValidationStore(hass, entry.entry_id)
        self._stored = StoredValidation(validation_start=dt_util.utcnow())
        self._amounts: dict[str, MeterAmounts] = {}
        self._listeners: list[Callable[[], None]] = []
        # One run at a time: a run reads the stored state, awaits the statistics and then
        # writes it, so a reset or an unload in between must wait for it.
        self._lock = asyncio.Lock()
        # Set once the installation unloads: a run after that changes nothing.
        self._stopped = False
        self.latest: Validation | None = None
        self.settled: Validation | None = None

    @property
    def validation_start(self) -> datetime:
        """From when the meters' amounts are counted."""
        return self._stored.validation_start

    @property
    def validation_date(self) -> datetime | None:
        """The moment every check had passed on 14 days of uninterrupted data, once reached."""
        stored = self._stored
        return validation_date(stored.passing_since, stored.uninterrupted_since, dt_util.utcnow())

    @property
    def counted_meters(self) -> int:
        """How many meters have amounts counted since the start."""
        return len(self._amounts)

    @property
    def first_seen(self) -> dict[str, datetime]:
        """When each current finding (by its issue id) was first seen."""
        return dict(self._stored.first_seen)

    async def async_load(self) -> None:
        """What the last validation left: the start, the sightings, the passing streak."""
        if (stored := await self._store.async_load()) is not None:
            self._stored = stored
        else:
            self._store.async_save(self._stored)

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Validate now and every interval; the returned callback stops it."""
        self._hass.async_create_background_task(
            self.async_validate(), f"{DOMAIN} validation {self._entry.entry_id}"
        )
        return async_track_time_interval(
            self._hass,
            self._async_validate_on_interval,
            VALIDATION_INTERVAL,
            name=f"{DOMAIN} validation",
            cancel_on_shutdown=True,
        )

    async def _async_validate_on_interval(self, _now: datetime) -> None:
        await self.async_validate()

    async def async_stop(self) -> None:
        """Write what must survive now, when the installation unloads, and nothing after.

        The delayed write would otherwise lose a change made just before a reload (the
        reloaded installation reads the store before it is written), and write the store
        of a deleted installation again after its removal.
        """
        async with self._lock:
            self._stopped = True
            await self._store.async_save_now(self._stored)

    async def async_validate(self) -> Validation:
        """Validate the installation as it stands now; raise and clear its repair issues."""
        async with self._lock:
            return await self._async_validate()

    async def _async_validate(self) -> Validation:
        if self._stopped:
            # A run that waited for the installation's unload: its buses are gone.
            return self.latest or Validation(())
        stored = self._stored
        now = dt_util.utcnow()
        self._amounts = await async_meter_amounts(
            self._hass, self._entry, stored.validation_start, now, self._amounts
        )
        latest = validate(home_snapshot(self._entry, now, stored.validation_start, self._amounts))
        seen = first_seen(stored.first_seen, latest.findings, now)
        settled = Validation(tuple(due_findings(seen, latest.findings, now)), latest.pending)
        interrupted = stored.last_run is not None and now - stored.last_run > LONGEST_PAUSE
        if interrupted or any(found.category in INTERRUPTING for found in latest.findings):
            uninterrupted = None
        else:
            uninterrupted = stored.uninterrupted_since or now
        self._stored = StoredValidation(
            validation_start=stored.validation_start,
            first_seen=seen,
            passing_since=passing_since(
                None if interrupted else stored.passing_since, settled.overall, now
            ),
            uninterrupted_since=uninterrupted,
            last_run=now,
        )
        self._store.async_save(self._stored)
        self.latest, self.settled = latest, settled
        await async_update_validation_issues(self._hass, self._entry, settled.findings)
        for listener in list(self._listeners):
            listener()
        return latest

    async def async_reset_start(self) -> Validation:
        """Count afresh from now: the checks of day 1 and day 10 start over."""
        async with self._lock:
            stored = self._stored
            self._stored = StoredValidation(
                validation_start=dt_util.utcnow(),
                first_seen=stored.first_seen,
                last_run=stored.last_run,
            )
            self._amounts = {}
            return await self._async_validate()

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` after every validation, until the returned callback is called."""
        self._listeners.append(listener)

        def remove() -> None:
            self._listeners.remove(listener)

        return remove

    def verdict(self, category: Category | None = None) -> Verdict | None:
        """The settled verdict of a category, or overall; None before the first run."""
        if self.settled is None:
            return None
        return self.settled.overall if category is None else self.settled.verdict(category)

    def as_dict(self) -> dict[str, Any]:
        """What the diagnostics show of the validation's own state."""
        stored, settled = self._stored, self.settled
        return {
            "verdicts": (
                {category.value: verdict.value for category, verdict in settled.verdicts.items()}
                if settled is not None
                else None
            ),
            "findings": [found.code.value for found in settled.findings] if settled else [],
            "validation_start": stored.validation_start.isoformat(),
            "passing_since": _iso(stored.passing_since),
            "uninterrupted_since": _iso(stored.uninterrupted_since),
            "last_run": _iso(stored.last_run),
            "findings_seen": len(stored.first_seen),
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
