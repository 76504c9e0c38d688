"""The smart meter's coordinator: a background reader of its telegrams, and what they said.

Telegrams are pushed to us, so the coordinator does not poll: its reader task keeps
the stream open (reconnecting with back-off), and each good telegram updates only the
entities whose value changed and is due to be written. A Tasmota reader (gPlug) is
followed instead through its MQTT topic or its HTTP API (tasmota.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from ..bus.connection import BusConnection, Transport
from ..bus.p1.decoder import Rejection as TelegramRejection, TelegramDecoder
from ..bus.p1.reading import ENERGY_TOTALS, MbusKind, P1Quantity, P1Reading
from ..bus.p1.stream import STREAM_ERRORS, async_close_stream, async_open_stream
from ..bus.p1.tasmota_http import HTTP_LINK_ERRORS
from ..const import DOMAIN, LOGGER
from ..coordinator import BusCoordinator, BusState, MeterReading
from ..domain.error_rate import ErrorRate
from ..domain.physical_bounds import (
    GAS_METER_MAX_M3_PER_HOUR,
    GJ_PER_KWH,
    HEAT_METER_MAX_KW,
    P1_CONNECTION_MAX_KW,
    WATER_METER_MAX_M3_PER_HOUR,
)
from .settings import P1MeterSettings
from .tasmota import async_follow_mqtt, async_poll_http

# A link that has sent nothing for this long is dead: meters send every 1 or 10 seconds.
KEEP_ALIVE = 30.0
RECONNECT_MIN = 1.0
RECONNECT_MAX = 60.0
# How often the meter's tick (data arrives / reads zero) and the error rate are refreshed.
STATUS_INTERVAL = timedelta(seconds=30)
# Values that follow the power option; all others (totals, counters, M-Bus) the totals one.
INSTANT_QUANTITIES = frozenset(
    q for q in P1Quantity if q.startswith(("power_", "voltage_l", "current_"))
)
TARIFF_KEY = "tariff"
# When this month's peak demand was reached: an attribute of the month peak's sensor.
MONTH_PEAK_AT_KEY = "month_peak_at"


def mbus_key(channel: int) -> str:
    """The value key of an M-Bus meter's reading."""
    return f"mbus_{channel}"


def mbus_time_key(channel: int) -> str:
    """The value key of an M-Bus meter's time of reading."""
    return f"mbus_{channel}_read_at"


def mbus_valve_key(channel: int) -> str:
    """The value key of an M-Bus meter's valve position."""
    return f"mbus_{channel}_valve"


TOTAL_KEYS = frozenset(quantity.value for quantity in ENERGY_TOTALS)
# The largest hourly rise of an M-Bus meter's reading (m3 or GJ), by its kind.
MBUS_MAX_RISE_PER_HOUR: dict[MbusKind | None, float] = {
    MbusKind.GAS: GAS_METER_MAX_M3_PER_HOUR,
    MbusKind.WATER: WATER_METER_MAX_M3_PER_HOUR,
    MbusKind.HOT_WATER: WATER_METER_MAX_M3_PER_HOUR,
    MbusKind.HEAT: HEAT_METER_MAX_KW * GJ_PER_KWH,
    MbusKind.COOLING: HEAT_METER_MAX_KW * GJ_PER_KWH,
}


def _is_mbus_total(key: str) -> bool:
    return key.startswith("mbus_") and not key.endswith(("_read_at", "_valve"))


def _meter_reading(
    reading: P1Reading, mbus_taken_at: dict[int, tuple[float, datetime]]
) -> MeterReading:
    """What a telegram says, by the keys of the smart meter's sensors.

    An M-Bus meter restamps an unchanged reading every few minutes: its time of reading
    stays the time the value was first read (`mbus_taken_at`, kept per channel).
    """
    values: dict[str, Any] = {quantity.value: value for quantity, value in reading.values.items()}
    if reading.tariff is not None:
        values[TARIFF_KEY] = reading.tariff.value
    if reading.month_peak_at is not None:
        values[MONTH_PEAK_AT_KEY] = reading.month_peak_at
    for mbus in reading.mbus:
        values[mbus_key(mbus.channel)] = mbus.value
        last = mbus_taken_at.get(mbus.channel)
        if last is None or last[0] != mbus.value:
            mbus_taken_at[mbus.channel] = last = (mbus.value, mbus.read_at)
        values[mbus_time_key(mbus.channel)] = last[1]
        if mbus.valve is not None:
            values[mbus_valve_key(mbus.channel)] = mbus.valve
    return MeterReading(
        read_at=dt_util.utcnow(),
        values=values,
        main_values=(
            reading.values.get(P1Quantity.POWER_IMPORT),
            reading.values.get(P1Quantity.POWER_EXPORT),
        ),
        serial=reading.equipment_id,
    )


@dataclass(slots=True)
class P1Counters:
    """What the reader has seen since it started."""

    connects: int = 0
    telegrams: int = 0
    rejected: dict[str, int] = field(default_factory=dict)


class P1Coordinator(BusCoordinator):
    """Reads the smart meter's telegrams as they come.

    A telegram is one snapshot of the meter: one total in it that cannot be believed
    throws the whole telegram away.
    """

    refuses_whole_reading = True

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        connection: BusConnection,
        *,
        subentry_id: str | None,
        meter: P1MeterSettings | None,
        power_interval: float,
        total_interval: float,
    ) -> None:
        """Initialize the coordinator of the P1 bus and its smart meter (if added yet)."""
        super().__init__(hass, entry, connection, STATUS_INTERVAL)
        self.subentry_id = subentry_id
        self.meter = meter
        self.power_interval = power_interval
        self.total_interval = total_interval
        self.counters = P1Counters()
        self.error_rate = ErrorRate()
        self.link_up = False
        self._link_error: str | None = None
        # Each M-Bus channel's last value and when the meter first read it.
        self._mbus_taken_at: dict[int, tuple[float, datetime]] = {}
        self._first_attempt = asyncio.Event()
        # Telegrams are shown once the entities exist and have restored their totals.
        self.publishing = False
        self._last_status_at = 0.0
        self._opened_since_last_attempt = False
        self.on_new_meter_data: Callable[[P1Reading], None] | None = None

    # The reader

    async def async_start(self) -> None:
        """Start the reader as the entry's background task, and wait for its first attempt.

        Unloading the entry cancels the task, which closes the stream.
        """
        self.config_entry.async_create_background_task(
            self.hass, self._async_read_forever(), name=f"{DOMAIN} P1 reader"
        )
        await self._first_attempt.wait()

    async def _async_read_forever(self) -> None:
        delay = RECONNECT_MIN
        while True:
            try:
                await self._async_read_link()
            except (*STREAM_ERRORS, *HTTP_LINK_ERRORS, ConnectionError) as err:
                self._link_lost(str(err) or type(err).__name__)
            self._first_attempt.set()
            if self._opened_since_last_attempt:
                delay = RECONNECT_MIN
            self._opened_since_last_attempt = False
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX)

    async def _async_read_link(self) -> None:
        """Read the meter until the link fails: a telegram stream, or a Tasmota reader."""
        if self.connection.transport is Transport.TASMOTA_MQTT:
            await async_follow_mqtt(self.hass, self.connection, self)
        elif self.connection.transport is Transport.TASMOTA_HTTP:
            await async_poll_http(self.hass, self.connection, self)
        else:
            await self._async_read_stream()

    async def _async_read_stream(self) -> None:
        decoder = self._decoder()
        reader, writer = await async_open_stream(self.connection, None)
        self.counters.connects += 1
        self._link_opened()
        try:
            while True:
                try:
                    async with asyncio.timeout(KEEP_ALIVE):
                        data = await reader.read(4096)
                except TimeoutError as err:
                    raise TimeoutError(f"no data for {KEEP_ALIVE:.0f} s") from err
                if not data:
                    raise ConnectionError("closed by the other side")
                if decoder is None:
                    self._note_contact()
                    continue
                for decoded in decoder.feed(data):
                    if decoded.reading is not None:
                        self.async_handle_reading(decoded.reading)
                    elif decoded.rejection is not None:
                        self.async_note_rejected(decoded.rejection, decoded.detail)
        finally:
            await async_close_stream(writer)

    def _decoder(self) -> TelegramDecoder | None:
        if self.meter is None or self.meter.version is None:
            return None
        return TelegramDecoder(self.meter.version, self.meter.key)

    @callback
    def async_note_link_up(self) -> None:
        """A Tasmota reader answers or publishes: the link is up, if it was not."""
        if not self.link_up:
            self.counters.connects += 1
            self._link_opened()

    @callback
    def async_note_link_down(self, detail: str) -> None:
        """A Tasmota reader has gone silent; its link is down until it is heard again."""
        self._link_lost(detail)

    @callback
    def _link_opened(self) -> None:
        self.link_up = True
        self._opened_since_last_attempt = True
        self._first_attempt.set()
        self.last_contact = dt_util.utcnow()
        if self._link_error is not None:
            LOGGER.info("The P1 port is back")
            self._link_error = None

    @callback
    def _link_lost(self, detail: str) -> None:
        was_up = self.link_up
        self.link_up = False
        self._limiter.forget()
        if was_up or self._link_error is None:
            LOGGER.warning("The P1 port was lost, reconnecting: %s", detail)
        self._link_error = detail
        if self.data is not None and self.last_update_success:
            self.async_set_update_error(self._failure(detail))

    # Telegrams

    @callback
    def async_handle_reading(self, reading: P1Reading) -> None:
        """Take a decoded telegram: its totals are checked, then what changed and is due shown."""
        now = self.clock()
        self.counters.telegrams += 1
        if not self.publishing:
            # Before its entities have restored their totals, a telegram's cannot be checked.
            self._note_contact()
            return
        refused = self.async_publish(
            self.subentry_id or "", _meter_reading(reading, self._mbus_taken_at)
        )
        rejection = next(iter(refused.values()), None)
        self.error_rate.count(now, rejected=rejection is not None)
        if rejection is not None:
            self._count_rejection(rejection.value)
            return
        self._note_contact()
        if now - self._last_status_at >= STATUS_INTERVAL.total_seconds():
            self._last_status_at = now
            if self.on_new_meter_data is not None:
                self.on_new_meter_data(reading)

    @callback
    def async_note_rejected(self, rejection: TelegramRejection | str, detail: str = "") -> None:
        """Count a telegram that could not be decoded."""
        self.counters.telegrams += 1
        self.error_rate.count(self.clock(), rejected=True)
        self._count_rejection(str(rejection))
        LOGGER.debug("Rejected a P1 telegram (%s) %s", rejection, detail)

    def _count_rejection(self, reason: str) -> None:
        self.counters.rejected[reason] = self.counters.rejected.get(reason, 0) + 1

    def total_limit(self, key: str) -> float | None:
        """Energy totals rise at most as fast as the connection allows; M-Bus by their kind."""
        if key in TOTAL_KEYS:
            return P1_CONNECTION_MAX_KW
        if not _is_mbus_total(key) or self.meter is None:
            return None
        kinds = {mbus_key(m.channel): m.kind for m in self.meter.mbus}
        kind = kinds.get(key)
        # A meter the subentry does not list yet is held to the loosest bound.
        return MBUS_MAX_RISE_PER_HOUR.get(kind, max(MBUS_MAX_RISE_PER_HOUR.values()))

    def write_interval(self, key: str) -> float:
        """Power, voltage and current follow the power option; all else the totals one."""
        return self.power_interval if key in INSTANT_QUANTITIES else self.total_interval

    def _note_contact(self) -> None:
        self.last_contact = dt_util.utcnow()
        if not self.last_update_success:
            self.async_set_updated_data(self._current_state())

    # Reachability, for the hub and the entities' availability

    async def _async_update_data(self) -> BusState:
        # A silent link is the reader's to find: it drops the stream after KEEP_ALIVE.
        if not self.link_up:
            raise self._failure(self._link_error or "not connected")
        return self._current_state()

    def _failure(self, detail: str) -> UpdateFailed:
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="bus_unreachable",
            translation_placeholders={"bus": self.bus.label, "detail": detail},
        )

    @property
    def rejected_percent(self) -> float | None:
        """The share of telegrams rejected over the last hour."""
        return self.error_rate.percent(self.clock())
