"""The wireless M-Bus bus: wmbusmeters' telegrams, checked and routed to their meters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY, ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import discovery_flow, issue_registry as ir
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.util import dt as dt_util

from ..bus.connection import BusConnection, Transport
from ..bus.wmbus.not_sent import is_not_sent
from ..bus.wmbus.telegram import TelegramError, WmbusTelegram, parse_telegram
from ..bus.wmbus.units import Measure, field_unit
from ..const import (
    DOMAIN,
    LOGGER,
    REACHABILITY_INTERVAL,
    WMBUS_HEARD_FOR,
    WMBUS_MAX_DISCOVERIES,
    WMBUS_MAX_FIELDS,
    WMBUS_MAX_HEARD,
)
from ..coordinator import BusCoordinator, MeterReading
from ..domain.physical_bounds import HEAT_COST_UNITS_MAX_PER_HOUR, MAX_RISE_PER_HOUR_BY_UNIT
from ..domain.telegram_rate import TelegramRate
from ..domain.total_guard import Rejection
from .device import wmbus_device_info
from .settings import WmbusMeterSettings

# Wireless meters send every 16 s to 15 min: a reading is current until three are missed.
WMBUS_READING_MAX_AGE = timedelta(minutes=45)
RSSI_FIELD = "rssi_dbm"
# The telegram's driver, among its values: the alarms a status text means depend on it.
DRIVER_FIELD = "driver"
# How far ahead of Home Assistant's clock a telegram's stamp may be and still order it
# against the meter's other telegrams: receivers' clocks drift, but not by hours.
WMBUS_CLOCK_AHEAD = timedelta(minutes=10)
# The repair issue of a meter whose key does not decrypt its telegrams, by subentry id.
WRONG_KEY_ISSUE = "wmbus_wrong_key_"
# Its text: with HTTP push the key must also be changed in the user's own wmbusmeters.
WRONG_KEY_TRANSLATION = "wmbus_wrong_key"
WRONG_KEY_HTTP_TRANSLATION = "wmbus_wrong_key_http"


class TelegramOutcome(StrEnum):
    """What became of one telegram; the values are what the endpoint answers."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    OUT_OF_ORDER = "out_of_order"
    UNKNOWN_METER = "unknown_meter"
    WRONG_KEY = "wrong_key"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class WmbusMeterFound:
    """A meter whose telegrams arrive but that no subentry claims."""

    meter_id: str
    driver: str
    media: str
    rssi_dbm: float | None
    heard_at: datetime


@dataclass(slots=True)
class WmbusMeter:
    """One configured meter and what the bus last heard from it."""

    subentry_id: str
    title: str
    settings: WmbusMeterSettings
    # The stamp of the last telegram shown, whose values (any refused total replaced by
    # its last good value) are the meter's last reading: the next one must not repeat or
    # predate it.
    telegram_stamp: datetime | None = None
    heard_at: datetime | None = None
    wrong_key: bool = False
    # Whether its telegrams carried more fields than a meter may gain (logged once).
    fields_capped: bool = False
    # How often its telegrams are taken, for the validation's check of its reception.
    rate: TelegramRate = field(default_factory=TelegramRate)
    # Its last telegram's volume total fell below the last good one (mounted against the flow).
    total_fell: bool = False

    @property
    def wrong_key_issue_id(self) -> str:
        """The repair issue raised while its key does not decrypt its telegrams."""
        return f"{WRONG_KEY_ISSUE}{self.subentry_id}"


def _reading_values(telegram: WmbusTelegram) -> dict[str, Any]:
    """What a telegram's reading holds: its fields, its driver and its signal."""
    values: dict[str, Any] = {
        **telegram.values,
        **telegram.texts,
        DRIVER_FIELD: telegram.driver,
    }
    if telegram.rssi_dbm is not None:
        values[RSSI_FIELD] = telegram.rssi_dbm
    return values


@lru_cache(maxsize=1024)
def _is_volume_total(name: str) -> bool:
    """Whether the field is a volume that only ever rises (`total_m3`)."""
    unit = field_unit(name)
    return unit is not None and unit.cumulative and unit.measure is Measure.VOLUME


@lru_cache(maxsize=1024)
def _max_rise_per_hour(name: str) -> float | None:
    """How fast a total can rise, in its own unit; None when the field is not a total."""
    unit = field_unit(name)
    if unit is None or not unit.cumulative:
        return None
    return MAX_RISE_PER_HOUR_BY_UNIT.get(unit.unit, HEAT_COST_UNITS_MAX_PER_HOUR)


class WmbusCoordinator(BusCoordinator):
    """Routes each telegram by meter id to its meter, after checking it.

    A telegram that repeats or predates the last one, or that the meter's key does not
    decrypt, changes nothing; a total that drops or jumps keeps its last good value. An
    unknown id is offered for discovery once. Only the addressed meter's entities are
    told, so a block of flats with hundreds of meters costs one meter's work per telegram.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        connection: BusConnection,
        meters: Iterable[WmbusMeter],
    ) -> None:
        """Initialize the coordinator of the installation's wM-Bus meters."""
        super().__init__(hass, entry, connection, REACHABILITY_INTERVAL)
        self.meters: dict[str, WmbusMeter] = {m.settings.meter_id: m for m in meters}
        self._by_subentry = {meter.subentry_id: meter for meter in self.meters.values()}
        self.heard: dict[str, WmbusMeterFound] = {}
        self.outcomes: Counter[TelegramOutcome] = Counter()
        # Called with a meter whose telegram carried fields or a driver it did not have.
        self.on_meter_widened: Callable[[WmbusMeter], None] | None = None
        self._entity_adders: list[Callable[[WmbusMeter], None]] = []
        self._discovered: set[str] = set()
        self._heard_capped = False
        self._discoveries_capped = False

    @property
    def has_meters(self) -> bool:
        """Whether any meter is configured: a bus without waits for its first one."""
        return bool(self.meters)

    @property
    def reading_max_age(self) -> timedelta:
        """A meter's reading counts as current until it missed a few telegrams."""
        return WMBUS_READING_MAX_AGE

    def meter_device_info(self, subentry_id: str) -> DeviceInfo | None:
        """The meter's device as its driver names it, from its subentry as it is now."""
        subentry = self.config_entry.subentries.get(subentry_id)
        return wmbus_device_info(self.config_entry, subentry) if subentry is not None else None

    def meter_of(self, subentry_id: str) -> WmbusMeter | None:
        """The configured meter of a subentry."""
        return self._by_subentry.get(subentry_id)

    def meter_available(self, subentry_id: str) -> bool:
        """Whether the meter was heard lately: each keeps its own schedule."""
        meter = self._by_subentry.get(subentry_id)
        return meter is not None and self.is_current(meter)

    def total_limit(self, key: str) -> float | None:
        """A heat meter counts at most its largest power, a water meter its largest flow."""
        return _max_rise_per_hour(key)

    def is_not_sent(self, subentry_id: str, key: str, value: object) -> bool:
        """Also the meter's driver's marker for a sensor it lacks (a Kamstrup's 127 °C)."""
        meter = self._by_subentry.get(subentry_id)
        return super().is_not_sent(subentry_id, key, value) or (
            meter is not None and is_not_sent(meter.settings.effective_driver, key, value)
        )

    def is_current(self, meter: WmbusMeter) -> bool:
        """Whether the meter was heard lately (or, after a start, may still be heard).

        A meter's values stay available between its telegrams, and across a restart,
        until it has missed a few: each meter keeps its own schedule, whatever the
        others on the bus do.
        """
        last = meter.heard_at or self.started_at
        return dt_util.utcnow() - last <= WMBUS_READING_MAX_AGE

    @callback
    def async_handle(self, obj: object) -> TelegramOutcome:
        """Take one JSON value that wmbusmeters printed or posted."""
        outcome = self._handle(obj)
        self.outcomes[outcome] += 1
        return outcome

    def _handle(self, obj: object) -> TelegramOutcome:
        try:
            telegram = parse_telegram(obj)
        except TelegramError as err:
            LOGGER.debug("Not a wmbusmeters telegram (%s): %.200r", err.reason, obj)
            return TelegramOutcome.INVALID
        self.async_note_contact()
        now = dt_util.utcnow()
        meter = self.meters.get(telegram.meter_id)
        if meter is None:
            self._note_unknown(telegram, now)
            return TelegramOutcome.UNKNOWN_METER
        if telegram.decryption_failed:
            self._note_wrong_key(meter, telegram.error or "wmbusmeters could not decode it")
            return TelegramOutcome.WRONG_KEY
        if telegram.timestamp is not None and telegram.timestamp - now > WMBUS_CLOCK_AHEAD:
            # A stamp from the future (a receiver's clock set wrong) orders nothing: it
            # must not make every later telegram look older than it.
            telegram = replace(telegram, timestamp=None)
        last = meter.telegram_stamp
        if last is not None and telegram.timestamp is not None:
            if telegram.timestamp < last:
                return TelegramOutcome.OUT_OF_ORDER
            if telegram.timestamp == last and self._repeats_last(meter, telegram):
                return TelegramOutcome.DUPLICATE
        if meter.wrong_key:
            meter.wrong_key = False
            ir.async_delete_issue(self.hass, DOMAIN, meter.wrong_key_issue_id)
        meter.heard_at = now
        meter.rate.note(now)
        self._publish(meter, telegram, now)
        self._widen(meter, telegram)
        return TelegramOutcome.ACCEPTED

    def _repeats_last(self, meter: WmbusMeter, telegram: WmbusTelegram) -> bool:
        """Whether the telegram says what the meter's last reading shows, its signal aside.

        The reading is the record of the last telegram: the meter keeps no copy of its own.
        """
        if (last := self.readings.get(meter.subentry_id)) is None:
            return False
        values = _reading_values(telegram)
        values.pop(RSSI_FIELD, None)
        return values == {name: v for name, v in last.values.items() if name != RSSI_FIELD}

    def _publish(self, meter: WmbusMeter, telegram: WmbusTelegram, now: datetime) -> None:
        """Publish the telegram to the meter's entities; a refused total keeps its last value."""
        values = _reading_values(telegram)
        totals = [
            value for name, value in telegram.values.items() if self._limit_of(name) is not None
        ]
        reading = MeterReading(
            read_at=now,
            values=values,
            main_values=tuple(totals or list(telegram.values.values())[:1]),
            serial=meter.settings.meter_id,
        )
        refused = self.async_publish(meter.subentry_id, reading)
        meter.telegram_stamp = telegram.timestamp
        if volumes := [name for name in telegram.values if _is_volume_total(name)]:
            meter.total_fell = any(refused.get(name) is Rejection.DROP for name in volumes)
        shown = self.readings[meter.subentry_id].values
        for name, rejection in refused.items():
            LOGGER.warning(
                "%s: ignoring %s = %s from meter %s (%s); keeping %s",
                meter.title,
                name,
                telegram.values[name],
                meter.settings.meter_id,
                rejection,
                shown.get(name),
            )

    def _widen(self, meter: WmbusMeter, telegram: WmbusTelegram) -> None:
        settings = meter.settings
        known = set(settings.fields)
        heard = [*telegram.values, *telegram.texts]
        if telegram.rssi_dbm is not None:
            heard.append(RSSI_FIELD)
        new = [name for name in heard if name not in known]
        room = max(WMBUS_MAX_FIELDS - len(known), 0)
        if len(new) > room:
            if not meter.fields_capped:
                meter.fields_capped = True
                LOGGER.warning(
                    "%s (meter %s) sends more than %s fields; the rest are not shown",
                    meter.title,
                    settings.meter_id,
                    WMBUS_MAX_FIELDS,
                )
            new = new[:room]
        if not new and settings.detected_driver == telegram.driver:
            return
        meter.settings = settings.with_heard(telegram.driver, new)
        # Stored first: the new entities' device info is read from the subentry.
        if self.on_meter_widened is not None:
            self.on_meter_widened(meter)
        for adder in self._entity_adders:
            adder(meter)

    def _note_unknown(self, telegram: WmbusTelegram, now: datetime) -> None:
        # Meters heard long ago are forgotten, so neighbours' meters do not pile up.
        self.heard = {
            meter_id: heard
            for meter_id, heard in self.heard.items()
            if now - heard.heard_at <= WMBUS_HEARD_FOR
        }
        if telegram.meter_id in self.heard or len(self.heard) < WMBUS_MAX_HEARD:
            self.heard[telegram.meter_id] = WmbusMeterFound(
                meter_id=telegram.meter_id,
                driver=telegram.driver,
                media=telegram.media,
                rssi_dbm=telegram.rssi_dbm,
                heard_at=now,
            )
        elif not self._heard_capped:
            self._heard_capped = True
            LOGGER.warning(
                "%s hears more than %s wM-Bus meters that no meter claims; "
                "only the first are listed",
                self.config_entry.title,
                WMBUS_MAX_HEARD,
            )
        if telegram.meter_id in self._discovered:
            return
        if len(self._discovered) >= WMBUS_MAX_DISCOVERIES:
            if not self._discoveries_capped:
                self._discoveries_capped = True
                LOGGER.warning(
                    "%s offered %s wM-Bus meters for discovery; no more are offered "
                    "until it is reloaded (add others by their id)",
                    self.config_entry.title,
                    WMBUS_MAX_DISCOVERIES,
                )
            return
        self._discovered.add(telegram.meter_id)
        LOGGER.info(
            "Heard wM-Bus meter %s (%s), which no meter of %s claims",
            telegram.meter_id,
            telegram.driver,
            self.config_entry.title,
        )
        discovery_flow.async_create_flow(
            self.hass,
            DOMAIN,
            context={"source": SOURCE_INTEGRATION_DISCOVERY},
            data={
                "entry_id": self.config_entry.entry_id,
                "meter_id": telegram.meter_id,
                "driver": telegram.driver,
                "media": telegram.media,
                "rssi_dbm": telegram.rssi_dbm,
            },
        )

    def recently_heard(self, now: datetime) -> list[WmbusMeterFound]:
        """The unclaimed meters heard lately, the strongest signal first."""
        recent = [m for m in self.heard.values() if now - m.heard_at <= WMBUS_HEARD_FOR]
        return sorted(recent, key=lambda m: -(m.rssi_dbm if m.rssi_dbm is not None else -999))

    @callback
    def async_note_undecryptable(self, meter_id: str) -> None:
        """Raise the wrong-key issue of a meter that wmbusmeters logged it cannot decrypt."""
        if (meter := self.meters.get(meter_id)) is not None:
            self.outcomes[TelegramOutcome.WRONG_KEY] += 1
            self._note_wrong_key(meter, "its payload's checksum failed after decryption")

    def _note_wrong_key(self, meter: WmbusMeter, detail: str) -> None:
        if meter.wrong_key:
            return
        meter.wrong_key = True
        LOGGER.error(
            "The key of %s (meter %s) does not decrypt its telegrams: %s",
            meter.title,
            meter.settings.meter_id,
            detail,
        )
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            meter.wrong_key_issue_id,
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=(
                WRONG_KEY_HTTP_TRANSLATION
                if self.connection.transport is Transport.HTTP
                else WRONG_KEY_TRANSLATION
            ),
            translation_placeholders={"meter": meter.title, "meter_id": meter.settings.meter_id},
            data={
                "entry_id": self.config_entry.entry_id,
                "subentry_id": meter.subentry_id,
            },
        )

    @callback
    def async_add_entity_adder(self, adder: Callable[[WmbusMeter], None]) -> None:
        """Let a platform add entities for each meter now, and when a meter shows more."""
        self._entity_adders.append(adder)
        for meter in self.meters.values():
            adder(meter)
