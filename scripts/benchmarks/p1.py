"""The smart meter, side by side: Home Assistant's own `dsmr` integration against ours.

One Home Assistant instance runs both, with the real recorder on a temporary SQLite
file. Each is fed the same DSMR 5 telegrams (with gas) of the simulated home, one per
second of simulated time for an hour, a day hour and a night hour:

- core `dsmr` (DSMR version "5", options `time_between_update: 0`): its reader is
  replaced so that no port opens; the bytes go to the asyncio Protocol that
  `dsmr_parser.clients.protocol.create_dsmr_protocol` builds, through `data_received`;
- ours (`benext`, a P1 bus over the network and a smart meter subentry, default
  options): `async_open_stream` is replaced by an in-memory StreamReader that gets the
  bytes through `feed_data`, so the coordinator's own read loop decodes them.

Measured per integration:
- event-loop CPU per telegram: `time.thread_time()` of the loop thread from handing the
  bytes over until the loop has nothing ready to run any more (decoding, state writes,
  event listeners, the recorder's queueing; not the recorder's own thread). The order
  of the two alternates from one telegram to the next;
- state writes: telegrams after which an entity's state was written, changed or not
  (its `last_reported` moved); Home Assistant turns a write that changes nothing into
  a `state_reported` event, which the recorder does not store;
- `state_changed` events of the integration's entities (by entity registry platform),
  counted by a listener on the bus (a few microseconds per event, in the CPU figure of
  the integration whose event it is);
- rows the recorder wrote to `states` for those entities, committed, from the SQLite
  file (the count after the hour minus the count before it);
- how far behind the meter the entities for power and for totals are: after each
  telegram, the shown value is looked up in the telegrams of the seconds before; the
  lag is the age of the newest telegram that carried it.

Simulated time: our coordinator's `clock` (which the write limiter and the error rate
follow) returns the telegram's second, and its status refresh (every 30 s) is run every
30 simulated seconds, outside the CPU figure (its CPU is shown apart). Home Assistant's
own `utcnow` stays real: its time-pattern trackers (the recorder's) schedule against
the wall clock, and a clock months away from it would make them fire in a loop.
The telegrams carry the simulated time themselves (our total guard reads it).
Before each hour, 60 telegrams warm both up (core creates its entities on the first).

Run it with `scripts/benchmark p1` (`--seconds 600` for a quicker look).
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterator
import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, time as dt_time
import gc
from pathlib import Path
import sqlite3
import statistics
import tempfile
import time
from typing import Any, cast
from unittest.mock import patch

from dsmr_parser.clients.protocol import create_dsmr_protocol
from homeassistant import loader
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er, recorder as recorder_helper
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_test_home_assistant,
)

from benchmarks.logged import reported_logs
from custom_components.benext.bus.connection import BusConnection
from custom_components.benext.bus.p1.detection import detect
from custom_components.benext.bus.p1.versions import DsmrVersion, LineSettings
from custom_components.benext.const import DOMAIN, SUBENTRY_SMART_METER
from custom_components.benext.p1.coordinator import P1Coordinator
from custom_components.benext.p1.settings import settings_from_detected
from custom_components.benext.runtime import BeNextRuntimeData
from simulated_home import p1 as simulated_p1

ZONE = simulated_p1.METER_ZONE
CORE = "dsmr"
OURS = DOMAIN
SIDES = (CORE, OURS)
# A port that is never opened: both readers are replaced.
NETWORK_PORT = 8088
SMART_METER_SUBENTRY_ID = "smart_meter"
# Our P1 coordinator's status refresh, in simulated seconds (its STATUS_INTERVAL).
STATUS_EVERY = 30
# Rounds of the loop allowed for the work a telegram triggers to finish.
SETTLE_LIMIT = 50
# Telegrams before the measured hour: entities are created and every value written once.
WARMUP = 60
# How far back a shown value is looked for among the telegrams, in seconds.
LAG_HISTORY = 900

# What the lag check compares, by the integration's entity key: the telegram's OBIS
# reference, the factor from its unit to the entity's, and the group it counts in.
OURS_VALUES: dict[str, tuple[str, float, str]] = {
    "power_import": ("1-0:1.7.0", 1000.0, "power"),
    "power_export": ("1-0:2.7.0", 1000.0, "power"),
    "energy_import_t1": ("1-0:1.8.1", 1.0, "totals"),
    "energy_import_t2": ("1-0:1.8.2", 1.0, "totals"),
    "energy_export_t1": ("1-0:2.8.1", 1.0, "totals"),
    "energy_export_t2": ("1-0:2.8.2", 1.0, "totals"),
    "short_power_failures": ("0-0:96.7.21", 1.0, "totals"),
    "long_power_failures": ("0-0:96.7.9", 1.0, "totals"),
    "mbus_1": ("0-1:24.2.1", 1.0, "totals"),
}
CORE_VALUES: dict[str, tuple[str, float, str]] = {
    "current_electricity_usage": ("1-0:1.7.0", 1.0, "power"),
    "current_electricity_delivery": ("1-0:2.7.0", 1.0, "power"),
    "electricity_used_tariff_1": ("1-0:1.8.1", 1.0, "totals"),
    "electricity_used_tariff_2": ("1-0:1.8.2", 1.0, "totals"),
    "electricity_delivered_tariff_1": ("1-0:2.8.1", 1.0, "totals"),
    "electricity_delivered_tariff_2": ("1-0:2.8.2", 1.0, "totals"),
    "short_power_failure_count": ("0-0:96.7.21", 1.0, "totals"),
    "long_power_failure_count": ("0-0:96.7.9", 1.0, "totals"),
    # Core names its gas sensor by the gas meter's serial alone (see side_entities()).
    "gas": ("0-1:24.2.1", 1.0, "totals"),
}


def telegram_values(telegram: bytes) -> dict[str, float]:
    """The numbers of a telegram by OBIS reference: each line's last value, without unit.

    A reading of its own, independent of both integrations and of dsmr-parser.
    """
    values: dict[str, float] = {}
    for line in telegram.decode("ascii").split("\r\n"):
        obis, _, rest = line.partition("(")
        if not rest:
            continue
        number = rest.rsplit("(", 1)[-1].rstrip(")").split("*", 1)[0]
        with contextlib.suppress(ValueError):
            values[obis] = float(number)
    return values


@dataclass
class SimClock:
    """The simulated time in Unix seconds: the second of the telegram being handled."""

    now: float = 0.0

    def monotonic(self) -> float:
        """Seconds on the simulated clock (our coordinator's `clock`)."""
        return self.now


class _Transport:
    """The transport of core's protocol: no port, closing only tells the protocol."""

    def __init__(self, protocol: asyncio.Protocol) -> None:
        self._protocol = protocol
        self._closing = False

    def close(self) -> None:
        if not self._closing:
            self._closing = True
            self._protocol.connection_lost(None)

    def is_closing(self) -> bool:
        return self._closing


class _Writer:
    """The writer side of our in-memory stream: there is nothing to write or close."""

    def close(self) -> None:
        """Nothing to close."""

    async def wait_closed(self) -> None:
        """Closed at once."""


@dataclass
class Feeds:
    """Where each integration's bytes go, once its reader has 'opened' the port."""

    core: list[asyncio.Protocol] = field(default_factory=list)
    ours: list[asyncio.StreamReader] = field(default_factory=list)

    def core_reader(
        self,
        port: str,
        dsmr_version: str,
        telegram_callback: Callable[[Any], None],
        loop: asyncio.AbstractEventLoop | None = None,
        **kwargs: Any,
    ) -> Awaitable[tuple[_Transport, asyncio.Protocol]]:
        """Stands in for dsmr-parser's `create_dsmr_reader`: the same protocol, no port."""
        del port
        factory, _serial_settings = create_dsmr_protocol(
            dsmr_version, telegram_callback, loop=loop, **kwargs
        )

        async def connect() -> tuple[_Transport, asyncio.Protocol]:
            protocol: asyncio.Protocol = factory()
            transport = _Transport(protocol)
            protocol.connection_made(cast("asyncio.BaseTransport", transport))
            self.core.append(protocol)
            return transport, protocol

        return connect()

    async def ours_stream(
        self, connection: BusConnection, line: LineSettings | None
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Stands in for our `async_open_stream`: a stream fed from memory."""
        del connection, line
        reader = asyncio.StreamReader()
        self.ours.append(reader)
        return reader, cast("asyncio.StreamWriter", _Writer())

    def feed(self, side: str, data: bytes) -> None:
        """Hand the bytes to the integration, as its port would."""
        if side == CORE:
            self.core[-1].data_received(data)
        else:
            self.ours[-1].feed_data(data)


async def settle(loop: asyncio.AbstractEventLoop) -> None:
    """Let the loop run until nothing is ready to run but this task."""
    # The loop's queue of ready callbacks (asyncio's BaseEventLoop keeps it here).
    ready = getattr(loop, "_ready", None)
    for _ in range(SETTLE_LIMIT):
        await asyncio.sleep(0)
        if ready is not None and not ready:
            return


class LagTracker:
    """How old the telegram is whose value an entity shows, worst case over the hour."""

    def __init__(self) -> None:
        self.history: dict[str, deque[tuple[int, float]]] = {}
        self.max_lag: dict[str, int] = {}
        self.never_sent: Counter[str] = Counter()
        self.not_numeric: Counter[str] = Counter()

    def telegram(self, second: int, values: dict[str, float]) -> None:
        """Remember what the meter sent at a second."""
        for obis, value in values.items():
            self.history.setdefault(obis, deque(maxlen=LAG_HISTORY)).append((second, value))

    def check(
        self, second: int, entity_id: str, state: State | None, obis: str, factor: float
    ) -> None:
        """Compare what the entity shows now with the telegrams up to this second."""
        try:
            shown = float(state.state) / factor if state is not None else None
        except ValueError:
            shown = None
        if shown is None:
            self.not_numeric[entity_id] += 1
            return
        for sent_at, value in reversed(self.history.get(obis, ())):
            if abs(value - shown) <= 1e-9 * max(1.0, abs(value)):
                lag = second - sent_at
                self.max_lag[entity_id] = max(self.max_lag.get(entity_id, 0), lag)
                return
        self.never_sent[entity_id] += 1


@dataclass
class HourResult:
    """The figures of one integration over the measured hour."""

    telegrams: int = 0
    cpu_ns: list[int] = field(default_factory=list)
    state_changed: Counter[str] = field(default_factory=Counter)
    # Telegrams after which the entity's state was written, changed or not.
    writes: Counter[str] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)
    entities: dict[str, str] = field(default_factory=dict)  # entity_id -> key
    lag_groups: dict[str, str] = field(default_factory=dict)  # entity_id -> group


@dataclass
class Hour:
    """One measured hour of both integrations."""

    label: str
    start: datetime
    seconds: int
    sides: dict[str, HourResult] = field(default_factory=lambda: {s: HourResult() for s in SIDES})
    lags: LagTracker = field(default_factory=LagTracker)
    refresh_ns: list[int] = field(default_factory=list)
    ours_counters: str = ""


def core_entry(serial: str, gas_serial: str) -> MockConfigEntry:
    """Core's dsmr entry as its config flow stores it for a network reader."""
    return MockConfigEntry(
        domain=CORE,
        title=f"socket://127.0.0.1:{NETWORK_PORT}",
        data={
            "port": f"socket://127.0.0.1:{NETWORK_PORT}",
            "dsmr_version": "5",
            "protocol": "dsmr_protocol",
            "serial_id": serial,
            "serial_id_gas": gas_serial,
        },
        options={"time_between_update": 0},
        unique_id=serial,
    )


def ours_entry(telegram: bytes) -> MockConfigEntry:
    """Our installation: a P1 network reader and the smart meter found on it."""
    detected = detect(telegram)
    if detected is None:
        raise RuntimeError("the simulated telegram was not recognised")
    settings = settings_from_detected(detected, DsmrVersion.V5, None)
    return MockConfigEntry(
        domain=DOMAIN,
        title="Benchmark home",
        version=1,
        minor_version=1,
        data={
            "p1": {"transport": "network", "network": {"host": "127.0.0.1", "port": NETWORK_PORT}}
        },
        options={},
        subentries_data=[
            {
                "subentry_id": SMART_METER_SUBENTRY_ID,
                "subentry_type": SUBENTRY_SMART_METER,
                "title": "Smart meter · P1",
                "unique_id": settings.serial,
                "data": settings.as_data(),
            }
        ],
    )


def hex_field(telegram: bytes, obis: str) -> str:
    """The raw (hex) text of a telegram line's value, as core stores serial numbers."""
    for line in telegram.decode("ascii").split("\r\n"):
        if line.startswith(obis + "("):
            return line[len(obis) + 1 : line.index(")")]
    raise RuntimeError(f"no {obis} in the telegram")


def count_rows(db_path: Path) -> Counter[str]:
    """Rows of the recorder's `states` table, by entity_id."""
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        query = (
            "SELECT states_meta.entity_id, COUNT(*) FROM states "
            "JOIN states_meta ON states.metadata_id = states_meta.metadata_id "
            "GROUP BY states_meta.entity_id"
        )
        return Counter(dict(connection.execute(query).fetchall()))


async def recorded_rows(hass: HomeAssistant, db_path: Path) -> Counter[str]:
    """Everything the recorder has been given, committed, then counted."""
    from homeassistant.components.recorder import get_instance  # noqa: PLC0415

    await hass.async_block_till_done()
    await get_instance(hass).async_block_till_done()
    return await hass.async_add_executor_job(count_rows, db_path)


async def start_recorder(hass: HomeAssistant, db_path: Path) -> None:
    """The real recorder, default settings, on an SQLite file."""
    recorder_helper.async_initialize_recorder(hass)
    config = {"recorder": {"db_url": f"sqlite:///{db_path}"}}
    if not await async_setup_component(hass, "recorder", config):
        raise RuntimeError("the recorder did not start")
    await hass.data[recorder_helper.DATA_RECORDER].db_connected


def side_entities(
    hass: HomeAssistant, entry_ids: dict[str, str], gas_serial: str
) -> dict[str, dict[str, str]]:
    """Each integration's entities (entity_id -> key), from the entity registry."""
    registry = er.async_get(hass)
    found: dict[str, dict[str, str]] = {side: {} for side in SIDES}
    for side in SIDES:
        for entry in er.async_entries_for_config_entry(registry, entry_ids[side]):
            if entry.platform != side or entry.disabled:
                continue
            unique_id = entry.unique_id
            if side == CORE:
                key = "gas" if unique_id == gas_serial else unique_id.split("_", 1)[-1]
            else:
                key = unique_id.removeprefix(f"{SMART_METER_SUBENTRY_ID}_")
            found[side][entry.entity_id] = key
    return found


class HourRun:
    """One measured hour: a Home Assistant with both integrations and the recorder."""

    def __init__(self, label: str, start: datetime, seconds: int) -> None:
        self.first = int(start.timestamp())
        self.telegrams = list(simulated_p1.telegrams(self.first - WARMUP, WARMUP + seconds))
        self.expected = [telegram_values(t) for t in self.telegrams]
        self.hour = Hour(label, start, seconds)
        self.feeds = Feeds()
        self.clock = SimClock(float(self.first - WARMUP))
        self.serial = hex_field(self.telegrams[0], "0-0:96.1.1")
        self.gas_serial = hex_field(self.telegrams[0], "0-1:96.1.0")
        # entity_id -> integration, and the lag checks: entity_id, OBIS, factor.
        self.owner: dict[str, str] = {}
        self.checks: list[tuple[str, str, float]] = []

    async def run(self) -> Hour:
        """Set up, warm up, measure, count, stop."""
        with (
            tempfile.TemporaryDirectory() as tmp,
            patch(
                "homeassistant.components.dsmr.sensor.create_dsmr_reader", self.feeds.core_reader
            ),
            patch(
                "custom_components.benext.p1.coordinator.async_open_stream",
                self.feeds.ours_stream,
            ),
        ):
            db_path = Path(tmp) / "home-assistant_v2.db"
            async with async_test_home_assistant(config_dir=tmp) as hass:
                # As tests/conftest.py's enable_custom_integrations: ours from the repo.
                hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
                await hass.config.async_set_time_zone(str(ZONE))
                await start_recorder(hass, db_path)
                entry_ids, p1 = await self._set_up(hass)
                await self._warm_up(hass, p1)
                self._find_entities(hass, entry_ids)
                rows_before = await recorded_rows(hass, db_path)
                unsubscribe = hass.bus.async_listen("state_changed", self._count_state_changed)
                await self._measure(hass, p1)
                unsubscribe()
                rows_after = await recorded_rows(hass, db_path)
                for entity_id, side in self.owner.items():
                    self.hour.sides[side].rows[entity_id] = (
                        rows_after[entity_id] - rows_before[entity_id]
                    )
                counters = p1.counters
                self.hour.ours_counters = (
                    f"Our coordinator counted {counters.telegrams} telegrams, "
                    f"rejected {dict(counters.rejected) or 'none'}, link up: {p1.link_up}, "
                    f"last refresh ok: {p1.last_update_success}"
                )
                await hass.async_stop(force=True)
        return self.hour

    async def _set_up(self, hass: HomeAssistant) -> tuple[dict[str, str], P1Coordinator]:
        entries = {
            CORE: core_entry(self.serial, self.gas_serial),
            OURS: ours_entry(self.telegrams[0]),
        }
        for entry in entries.values():
            entry.add_to_hass(hass)
            if not await hass.config_entries.async_setup(entry.entry_id):
                raise RuntimeError(f"{entry.domain} did not set up")
        await hass.async_block_till_done()
        p1 = cast("BeNextRuntimeData", entries[OURS].runtime_data).coordinator(P1Coordinator)
        if p1 is None or not self.feeds.core or not self.feeds.ours:
            raise RuntimeError("a reader did not start")
        p1.clock = self.clock.monotonic
        return {side: entry.entry_id for side, entry in entries.items()}, p1

    async def _warm_up(self, hass: HomeAssistant, p1: P1Coordinator) -> None:
        """Core creates its entities on the first telegram; every value is written once."""
        loop = asyncio.get_running_loop()
        for index in range(WARMUP):
            second = self.first - WARMUP + index
            self.clock.now = float(second)
            self.hour.lags.telegram(second, self.expected[index])
            for side in SIDES:
                self.feeds.feed(side, self.telegrams[index])
            await settle(loop)
            if index == 0:
                await hass.async_block_till_done()
        await p1.async_refresh()
        await hass.async_block_till_done()

    def _find_entities(self, hass: HomeAssistant, entry_ids: dict[str, str]) -> None:
        entities = side_entities(hass, entry_ids, self.gas_serial)
        values = {CORE: CORE_VALUES, OURS: OURS_VALUES}
        for side in SIDES:
            result = self.hour.sides[side]
            result.entities = entities[side]
            for entity_id, key in entities[side].items():
                self.owner[entity_id] = side
                if key in values[side]:
                    obis, factor, group = values[side][key]
                    self.checks.append((entity_id, obis, factor))
                    result.lag_groups[entity_id] = group

    @callback
    def _count_state_changed(self, event: Event[EventStateChangedData]) -> None:
        if (side := self.owner.get(event.data["entity_id"])) is not None:
            self.hour.sides[side].state_changed[event.data["entity_id"]] += 1

    async def _measure(self, hass: HomeAssistant, p1: P1Coordinator) -> None:
        """The measured telegrams, the order of the two alternating."""
        loop = asyncio.get_running_loop()
        hour, feeds, thread_time = self.hour, self.feeds, time.thread_time_ns
        # A write refreshes a state's last_reported even when nothing changed.
        reported = {entity_id: _last_reported(hass, entity_id) for entity_id in self.owner}
        gc.collect()
        for index in range(WARMUP, len(self.telegrams)):
            second = self.first - WARMUP + index
            self.clock.now = float(second)
            hour.lags.telegram(second, self.expected[index])
            for side in SIDES if index % 2 else SIDES[::-1]:
                started = thread_time()
                feeds.feed(side, self.telegrams[index])
                await settle(loop)
                hour.sides[side].cpu_ns.append(thread_time() - started)
                hour.sides[side].telegrams += 1
            if (second - self.first + 1) % STATUS_EVERY == 0:
                started = thread_time()
                await p1.async_refresh()
                await settle(loop)
                hour.refresh_ns.append(thread_time() - started)
            for entity_id, obis, factor in self.checks:
                hour.lags.check(second, entity_id, hass.states.get(entity_id), obis, factor)
            for entity_id, side in self.owner.items():
                if (now := _last_reported(hass, entity_id)) != reported[entity_id]:
                    reported[entity_id] = now
                    hour.sides[side].writes[entity_id] += 1


def _last_reported(hass: HomeAssistant, entity_id: str) -> datetime | None:
    state = hass.states.get(entity_id)
    return state.last_reported if state is not None else None


def per_hour(count: float, seconds: int) -> float:
    """A count over `seconds` as a count per hour."""
    return count * 3600 / seconds


def ratio(core: float, ours: float) -> str:
    """ours/core, or '-'."""
    return f"{ours / core:.2f}x" if core else "-"


def fewer(core: float, ours: float) -> str:
    """How many times fewer (or more) ours has."""
    if not ours:
        return "none at all"
    return f"{core / ours:.2f}x fewer" if ours <= core else f"{ours / core:.2f}x more"


def max_lag(hour: Hour, side: str, group: str) -> str:
    """The worst lag of a group of entities, with what could not be matched."""
    result = hour.sides[side]
    ids = [eid for eid, g in result.lag_groups.items() if g == group]
    if not ids:
        return "no entity"
    lag = max((hour.lags.max_lag.get(eid, 0) for eid in ids), default=0)
    text = f"{lag} s"
    unmatched = sum(hour.lags.never_sent[eid] for eid in ids)
    unknown = sum(hour.lags.not_numeric[eid] for eid in ids)
    if unmatched:
        text += f" ({unmatched} checks showed a value no telegram in the last {LAG_HISTORY} s had)"
    if unknown:
        text += f" ({unknown} checks unknown/unavailable)"
    return text


def report(hour: Hour) -> None:
    """The table of one hour, then the per-entity counts."""
    core, ours = hour.sides[CORE], hour.sides[OURS]
    cpu = {s: statistics.fmean(hour.sides[s].cpu_ns) / 1e6 for s in SIDES}
    median = {s: statistics.median(hour.sides[s].cpu_ns) / 1e6 for s in SIDES}
    writes = {s: per_hour(hour.sides[s].writes.total(), hour.seconds) for s in SIDES}
    changed = {s: per_hour(hour.sides[s].state_changed.total(), hour.seconds) for s in SIDES}
    rows = {s: per_hour(hour.sides[s].rows.total(), hour.seconds) for s in SIDES}
    end = datetime.fromtimestamp(hour.start.timestamp() + hour.seconds, ZONE)
    print(f"\n## {hour.label}: {hour.start:%Y-%m-%d %H:%M}-{end:%H:%M} {ZONE}\n")
    print("| | core `dsmr` | ours `benext` | ours vs core | target |")
    print("|---|---|---|---|---|")
    print(f"| telegrams | {core.telegrams} | {ours.telegrams} | | |")
    print(
        f"| event-loop CPU per telegram (mean) | {cpu[CORE]:.3f} ms | {cpu[OURS]:.3f} ms "
        f"| {ratio(cpu[CORE], cpu[OURS])} | <= 0.8x |"
    )
    print(
        f"| event-loop CPU per telegram (median) | {median[CORE]:.3f} ms | {median[OURS]:.3f} ms "
        f"| {ratio(median[CORE], median[OURS])} | |"
    )
    print(
        f"| state writes per hour (changed or not) | {writes[CORE]:.0f} | {writes[OURS]:.0f} "
        f"| {fewer(writes[CORE], writes[OURS])} | |"
    )
    print(
        f"| `state_changed` per hour | {changed[CORE]:.0f} | {changed[OURS]:.0f} "
        f"| {fewer(changed[CORE], changed[OURS])} | <= core |"
    )
    print(
        f"| recorder rows (`states`) per hour | {rows[CORE]:.0f} | {rows[OURS]:.0f} "
        f"| {fewer(rows[CORE], rows[OURS])} | <= core |"
    )
    print(f"| entities enabled by default | {len(core.entities)} | {len(ours.entities)} | | |")
    for group, target in (("totals", "<= 10 s"), ("power", "<= 1 s")):
        print(
            f"| max lag, {group} | {max_lag(hour, CORE, group)} | {max_lag(hour, OURS, group)} "
            f"| | {target} (ours) |"
        )
    refresh = statistics.fmean(hour.refresh_ns) / 1e6 if hour.refresh_ns else 0.0
    amortised = refresh * len(hour.refresh_ns) / max(ours.telegrams, 1)
    print(
        f"\nOurs also ran its status refresh {len(hour.refresh_ns)} times ({refresh:.3f} ms each, "
        f"{amortised:.4f} ms per telegram spread out; core has none). {hour.ours_counters}."
    )
    print("\nPer entity: writes / state_changed / recorder rows / max lag (s) over the hour")
    for side in SIDES:
        result = hour.sides[side]
        parts = []
        for entity_id in sorted(result.entities):
            lag = hour.lags.max_lag.get(entity_id)
            lag_text = f" / {lag}" if entity_id in result.lag_groups and lag is not None else ""
            parts.append(
                f"{entity_id} {result.writes[entity_id]} / {result.state_changed[entity_id]} "
                f"/ {result.rows[entity_id]}{lag_text}"
            )
        print(f"- {side}: " + "; ".join(parts))


def hours(day: date, day_hour: int, night_hour: int) -> Iterator[tuple[str, datetime]]:
    """The day hour and the night hour to measure, in the meter's zone."""
    yield "Day hour", datetime.combine(day, dt_time(day_hour), ZONE)
    yield "Night hour", datetime.combine(day, dt_time(night_hour), ZONE)


async def run(args: argparse.Namespace) -> None:
    """Measure the day hour, then the night hour, each in a fresh Home Assistant."""
    for label, start in hours(args.date, args.day_hour, args.night_hour):
        report(await HourRun(label, start, args.seconds).run())


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/benchmark p1", description=__doc__)
    parser.add_argument("--seconds", type=int, default=3600, help="telegrams per measured hour")
    parser.add_argument(
        "--date", type=date.fromisoformat, default=date(2026, 6, 16), help="the simulated day"
    )
    parser.add_argument("--day-hour", type=int, default=12, help="local start of the day hour")
    parser.add_argument("--night-hour", type=int, default=2, help="local start of the night hour")
    args = parser.parse_args()
    print(
        "# P1: Home Assistant's `dsmr` and ours, fed the same DSMR 5 telegrams with gas, "
        "one per simulated second"
    )
    with reported_logs():
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
