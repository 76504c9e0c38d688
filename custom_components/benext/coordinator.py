"""Coordinators: one per configured bus of the installation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
import time
from typing import Any, ClassVar, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .bus.connection import Bus, BusConnection
from .bus.reachability import BusUnreachableError, async_check_reachable
from .const import DOMAIN, LOGGER, PUSH_SILENCE_LIMIT
from .domain.hub_status import BusCondition
from .domain.product_status import ProductStatus, product_status
from .domain.total_guard import MeterTotals, Rejection, is_sentinel
from .domain.write_limiter import WriteLimiter


@dataclass(frozen=True, slots=True)
class MeterReading:
    """A meter's reading as its bus publishes it, its totals guarded.

    `read_at` is when Home Assistant received it: rates are measured on it, never on the
    meter's own clock. `values` holds what the meter said, by its entities' keys.
    """

    read_at: datetime
    values: Mapping[str, Any]
    # The values behind BeNext's tick: they show the meter is in use.
    main_values: tuple[float | None, ...] = ()
    serial: str | None = None


class ReadingFollower(Protocol):
    """What follows one meter's readings: each of its entities."""

    def async_handle_reading(self, reading: MeterReading) -> None:
        """Take a reading of the meter that was just published."""


# The repair issue of a total held at a level its meter cannot have counted.
HELD_TOTAL_ISSUE = "total_jump_"


def held_total_issue_id(subentry_id: str, key: str) -> str:
    """The id of the repair issue of one held total."""
    return f"{HELD_TOTAL_ISSUE}{subentry_id}_{key}"


@dataclass(slots=True)
class BusState:
    """What the hub knows of one bus: the last reading of each meter, by subentry id."""

    meters: dict[str, MeterReading] = field(default_factory=dict)


class BusCoordinator(DataUpdateCoordinator[BusState]):
    """Watches one bus: whether it can be reached, and what its meters last said.

    A polled or streamed bus is checked by connecting to it. A push bus (wmbusmeters
    posting to the installation's endpoint) is online while telegrams keep arriving.
    """

    config_entry: ConfigEntry
    # Whether one refused total throws the whole reading away (a P1 telegram is one
    # snapshot of the meter) or only that total, which keeps its last good value.
    refuses_whole_reading: ClassVar[bool] = False

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        connection: BusConnection,
        update_interval: timedelta | None,
    ) -> None:
        """Initialize the coordinator of one bus; one told of every change needs no interval."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {connection.bus}",
            update_interval=update_interval,
        )
        self.connection = connection
        self.started_at = dt_util.utcnow()
        self._last_condition: BusCondition | None = None
        self.last_contact: datetime | None = None
        self.readings: dict[str, MeterReading] = {}
        self._totals: dict[str, MeterTotals] = {}
        self._held_issues: set[str] = set()
        # The entity showing each total, and its unit, by (subentry id, value key).
        self._total_entities: dict[tuple[str, str], tuple[str, str | None, float]] = {}
        # total_limit() by value key, asked once per key.
        self._total_limits: dict[str, float | None] = {}
        # The followers themselves, not a callback each: a block of flats has thousands.
        self._followers: dict[str, list[ReadingFollower]] = {}
        self._limiter = WriteLimiter()
        # Seconds on a monotonic clock, which the write intervals follow.
        self.clock: Callable[[], float] = time.monotonic
        if connection.is_push:
            # Offline until the first telegram, which is no failure worth logging: a
            # failure is logged only when a bus that was up goes down.
            self.last_update_success = False

    @property
    def reading_max_age(self) -> timedelta:
        """How old a meter's last reading may be before it counts as no data."""
        interval = self.update_interval or timedelta(0)
        return max(3 * interval, timedelta(minutes=2))

    @property
    def bus(self) -> Bus:
        """The bus this coordinator watches."""
        return self.connection.bus

    @property
    def has_connection(self) -> bool:
        """Whether the bus is a link of its own that can fail.

        Such a bus has a connectivity sensor and counts in the installation's status; the
        entities of other integrations that Home Assistant already has are no such link.
        """
        return True

    @property
    def has_meters(self) -> bool:
        """Whether any meter is configured on the bus: one without has nothing to send."""
        return True

    @property
    def condition(self) -> BusCondition:
        """Up, down, or waiting for a push bus's first telegram since the start.

        Wireless meters may take minutes to send after a start: a push bus is late only
        once it has been silent for the silence limit, and never while it has no meters.
        """
        if self.last_update_success:
            return BusCondition.UP
        if self.connection.is_push and self.last_contact is None:
            since_start = dt_util.utcnow() - self.started_at
            if not self.has_meters or since_start <= PUSH_SILENCE_LIMIT:
                return BusCondition.WAITING
        return BusCondition.DOWN

    @callback
    def _async_refresh_finished(self) -> None:
        # A refresh that fails after a failed one tells no one; a bus that was waiting and
        # is now late must show as down.
        condition = self.condition
        was_waiting = self._last_condition is BusCondition.WAITING
        self._last_condition = condition
        if was_waiting and condition is BusCondition.DOWN:
            self.async_update_listeners()

    def meter_device_info(self, subentry_id: str) -> DeviceInfo | None:
        """The device of a meter's entities that were given none, when Home Assistant asks.

        Described afresh each time, so that a bus with hundreds of meters keeps none per
        meter; by default there is none (the bus gives its entities their device).
        """
        return None

    def meter_available(self, subentry_id: str) -> bool:
        """Whether the meter's values can be trusted now: by default, while the bus answers."""
        return self.last_update_success

    def product_status(self, subentry_id: str) -> ProductStatus:
        """BeNext's tick for a meter from its last reading: no data while there is none."""
        reading = self.readings.get(subentry_id)
        if reading is None:
            return ProductStatus.NO_DATA
        return product_status(
            reading.read_at, dt_util.utcnow(), self.reading_max_age, reading.main_values
        )

    def total_limit(self, key: str) -> float | None:
        """The most a total can rise in an hour, in its own unit; None when `key` is no total."""
        return None

    def is_not_sent(self, subentry_id: str, key: str, value: object) -> bool:
        """Whether a meter's value is a marker for "no value" (NaN, float32 maximum, ...)."""
        return isinstance(value, float) and is_sentinel(value)

    def write_interval(self, key: str) -> float:
        """The least number of seconds between two writes of a value: by default none."""
        return 0.0

    # From reading to entity: one path for every bus

    @callback
    def async_publish(self, subentry_id: str, reading: MeterReading) -> dict[str, Rejection]:
        """Guard a meter's reading, then hand it to the meter's entities; the refused totals.

        A refused total keeps its last good value (or, on a bus whose readings stand or
        fall as one, the reading is not published at all).
        """
        totals = self._totals.setdefault(subentry_id, MeterTotals())
        candidates: dict[str, tuple[float, float]] = {}
        for key, value in reading.values.items():
            if (limit := self._limit_of(key)) is not None and isinstance(value, int | float):
                candidates[key] = (float(value), limit)
        refused = totals.check(
            candidates, reading.read_at, reading.serial, whole=self.refuses_whole_reading
        )
        self._note_held_totals(subentry_id, totals, candidates)
        if refused:
            if self.refuses_whole_reading:
                return refused
            values = {key: value for key, value in reading.values.items() if key not in refused}
            for key in refused:
                if (last := totals.last(key)) is not None:
                    values[key] = last
            reading = replace(reading, values=values)
        self.readings[subentry_id] = reading
        for follower in self._followers.get(subentry_id, ()):
            follower.async_handle_reading(reading)
        return refused

    @callback
    def async_follow_readings(self, subentry_id: str, follower: ReadingFollower) -> None:
        """Hand `follower` each reading of the meter that is published, until it unfollows."""
        self._followers.setdefault(subentry_id, []).append(follower)

    @callback
    def async_unfollow_readings(self, subentry_id: str, follower: ReadingFollower) -> None:
        """Stop handing the meter's readings to `follower`."""
        followers = self._followers.get(subentry_id, [])
        if follower in followers:
            followers.remove(follower)

    @callback
    def async_restore_total(
        self,
        subentry_id: str,
        key: str,
        value: float,
        serial: str | None,
        good_at: datetime | None,
    ) -> None:
        """A total's last good value from before a restart, and when: the floor that follows."""
        if (limit := self._limit_of(key)) is not None:
            totals = self._totals.setdefault(subentry_id, MeterTotals())
            totals.restore(key, value, serial, limit, good_at)

    def _limit_of(self, key: str) -> float | None:
        """`total_limit(key)`, asked once per key."""
        if key not in self._total_limits:
            self._total_limits[key] = self.total_limit(key)
        return self._total_limits[key]

    def _note_held_totals(
        self, subentry_id: str, totals: MeterTotals, keys: Mapping[str, object]
    ) -> None:
        """Raise a repair issue for a total held at a new level, and clear it once it is not."""
        for key in keys:
            guard = totals.guards[key]
            if guard.held is None and not self._held_issues:
                # Nothing held on the bus: the common case, on every reading.
                continue
            issue_id = held_total_issue_id(subentry_id, key)
            if guard.held is None:
                if issue_id in self._held_issues:
                    self._held_issues.discard(issue_id)
                    ir.async_delete_issue(self.hass, DOMAIN, issue_id)
                continue
            if issue_id in self._held_issues:
                continue
            self._held_issues.add(issue_id)
            subentry = self.config_entry.subentries.get(subentry_id)
            LOGGER.warning(
                "%s: %s jumped from %s to %s, which the meter cannot count; ignored until accepted",
                subentry.title if subentry else subentry_id,
                key,
                guard.last,
                guard.held,
            )
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=True,
                is_persistent=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="total_jump",
                translation_placeholders={
                    "meter": subentry.title if subentry else subentry_id,
                    **self._total_placeholders(subentry_id, key, guard.last, guard.held),
                },
                data={
                    "entry_id": self.config_entry.entry_id,
                    "subentry_id": subentry_id,
                    "key": key,
                },
            )

    @callback
    def async_note_total_entity(
        self, subentry_id: str, key: str, entity_id: str, unit: str | None, scale: float = 1.0
    ) -> None:
        """The entity that shows a meter's total: its unit, and its value per unit of the total."""
        self._total_entities[subentry_id, key] = (entity_id, unit, scale)

    def _total_placeholders(
        self, subentry_id: str, key: str, last: float | None, new: float
    ) -> dict[str, str]:
        """A held total named as its entity is, its values with their unit."""
        entity_id, unit, scale = self._total_entities.get((subentry_id, key), (None, None, 1.0))
        entity = er.async_get(self.hass).async_get(entity_id) if entity_id else None
        name = (entity.name or entity.original_name) if entity is not None else None
        suffix = f" {unit}" if unit else ""
        return {
            "total": name or key,
            "last": f"{last * scale:g}{suffix}" if last is not None else "-",
            "new": f"{new * scale:g}{suffix}",
        }

    @callback
    def async_accept_held_total(self, subentry_id: str, key: str) -> bool:
        """The user accepts a total's new level as its floor; False when the total is not ours."""
        totals = self._totals.get(subentry_id)
        if totals is None or key not in totals.guards:
            return False
        totals.guards[key].accept_held(dt_util.utcnow())
        issue_id = held_total_issue_id(subentry_id, key)
        self._held_issues.discard(issue_id)
        ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        return True

    def write_due(self, subentry_id: str, key: str, shown: object) -> bool:
        """Whether an entity may write what it now shows; if so, that is noted as written."""
        if (interval := self.write_interval(key)) <= 0:
            # The entity writes only what changed: nothing to note for a value never held back.
            return True
        return self._limiter.due((subentry_id, key), shown, self.clock(), interval)

    async def _async_update_data(self) -> BusState:
        if self.connection.is_push:
            self._raise_if_silent(dt_util.utcnow())
        else:
            try:
                await async_check_reachable(self.connection)
            except BusUnreachableError as err:
                raise self._unreachable(err) from err
        return self._current_state()

    @callback
    def async_note_contact(self) -> None:
        """Record that a push bus delivered a telegram, and mark the bus online."""
        self.last_contact = dt_util.utcnow()
        if not self.last_update_success:
            self.async_set_updated_data(self._current_state())

    def _current_state(self) -> BusState:
        """The bus's state: what its meters last said."""
        return BusState(meters=self.readings)

    def _unreachable(self, err: BusUnreachableError) -> UpdateFailed:
        """The translated failure of a bus that cannot be reached."""
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="bus_unreachable",
            translation_placeholders={"bus": self.bus.label, "detail": err.detail},
        )

    def _raise_if_silent(self, now: datetime) -> None:
        if self.last_contact is None:
            # Not a fault while the bus is waiting (see `condition`).
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="bus_waiting",
                translation_placeholders={"bus": self.bus.label},
            )
        if now - self.last_contact > PUSH_SILENCE_LIMIT:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="bus_silent",
                translation_placeholders={
                    "bus": self.bus.label,
                    "minutes": str(int(PUSH_SILENCE_LIMIT.total_seconds() // 60)),
                },
            )
