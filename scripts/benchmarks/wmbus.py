"""wM-Bus: a block of flats posting to its installation's endpoint, through Home Assistant's HTTP.

The installation (`benext`, its wM-Bus bus on the `http` transport, a bearer token) has
300 meters as subentries: 60 flats, each with three radiator heat cost allocators
(Qundis Q caloric in half the flats, Techem FHKV data III in the others) and a Kamstrup
Multical 21 on cold and on hot water, all ids distinct. Their telegrams are the JSON that
wmbusmeters 2.0.0 prints for the upstream test telegrams in
tests/fixtures/wmbus_telegrams.json (`qcaloric` 78563412, `fhkvdataiii` 11776622,
`multical21` 44556677; see tests/fixtures/README.md), with each meter's id and name and
with values that move on every round (totals up, temperatures about), one object a
request as wmbusmeters' `shell=` curl posts them.

Home Assistant (the test harness's instance, with `http` on a loopback port and the real
recorder on an SQLite file) serves `POST /api/webhook/<id>`. A client in a separate
process (`--client`, aiohttp, keep-alive connections) sends each round's 300 telegrams and
times every request to its answer: the endpoint answers after the meter's entities have
written their states, so that time is the latency from request to state written.

Measured:
- first every meter's telegram once (entities are created, the subentries remember the
  fields), then `--rounds` rounds over one connection, then as many over 8 at once;
- telegrams handled per second (answered 200 "accepted: 1"), p50 and p99 latency, and
  the full garbage collections meanwhile (a few hundred ms each with Home Assistant's
  heap: they, not the endpoint, make the maximum latency);
- event-loop CPU per telegram: `time.thread_time()` of the loop thread while the client
  sends (HTTP parsing, the handler, state writes, the recorder's queueing and whatever
  else runs on the loop then; not the recorder's own thread);
- memory per configured meter, in a fresh Home Assistant: an installation with no
  meters is set up (imports, platforms), then a second one with none, then one with the
  300 meters, which then gets four rounds; per meter is (300-meter installation - empty
  installation) / 300. Once with tracemalloc on from the start (traced bytes, and which
  source files hold them), once without it, as RSS (tracemalloc's own bookkeeping would
  inflate that). The target is the integration's own memory per meter: what the files
  under custom_components/benext allocated (< 5 KiB); Home Assistant's per-entity cost
  (entity platform, registry, state machine, event trackers, recorder) is reported beside.

After the runs, every meter's main entity must show its last telegram's value.
Run it with `scripts/benchmark wmbus` (`--rounds 5` for a quicker look, `--no-recorder`
to see the recorder's share).
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import Iterator, Sequence
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import gc
import json
import os
from pathlib import Path
import socket
import sys
import tempfile
import time
import tracemalloc
from typing import Any, cast

import aiohttp
from homeassistant import loader
from homeassistant.const import EVENT_HOMEASSISTANT_START
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, recorder as recorder_helper
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_test_home_assistant,
)

from benchmarks.logged import reported_logs
from custom_components.benext.const import DOMAIN, SUBENTRY_WMBUS_METER
from custom_components.benext.runtime import BeNextRuntimeData
from custom_components.benext.wmbus.coordinator import WmbusCoordinator

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "wmbus_telegrams.json"
LOOPBACK = "127.0.0.1"
TOKEN = "benchmark-token"  # noqa: S105 -- a loopback-only benchmark value
FLATS = 60
CONNECTIONS = 8
# Rounds the memory phase sends to the 300 meters, after their first telegram.
MEMORY_ROUNDS = 3
# Source files shown in the memory breakdown.
GROWTH_FILES = 10
TARGET_RATE = 500
TARGET_P99_MS = 20.0
# The integration's own memory per meter (what its own source files allocate); Home
# Assistant's per-entity cost is reported beside it.
TARGET_OWN_KIB_PER_METER = 5.0
OWN_SOURCES = "custom_components/benext/"
# The main value of each driver, compared with the entity's state after the run.
MAIN_FIELD = {
    "qcaloric": "current_consumption_hca",
    "fhkvdataiii": "current_hca",
    "multical21": "total_m3",
}


@dataclass(frozen=True, slots=True)
class FlatMeter:
    """One meter of the block: its id, driver and role, and its telegram's template."""

    meter_id: str
    driver: str
    role: str
    name: str
    template: dict[str, Any]

    @property
    def subentry_id(self) -> str:
        """The subentry that claims it."""
        return f"meter_{self.meter_id}"


def fixture_json(driver: str, meter_id: str) -> dict[str, Any]:
    """What wmbusmeters 2.0.0 printed for a fixture telegram."""
    for case in json.loads(FIXTURES.read_text(encoding="utf-8")):
        if case["driver"] == driver and case["id"] == meter_id:
            template: dict[str, Any] = json.loads(case["expected_json"])
            return template
    raise LookupError(f"no {driver} {meter_id} in {FIXTURES}")


def block_of_flats(flats: int = FLATS) -> list[FlatMeter]:
    """Five meters a flat: three radiators, a cold and a hot water meter; ids all distinct."""
    qcaloric = fixture_json("qcaloric", "78563412")
    fhkv = fixture_json("fhkvdataiii", "11776622")
    water = fixture_json("multical21", "44556677")
    meters: list[FlatMeter] = []
    for flat in range(1, flats + 1):
        driver, template = ("qcaloric", qcaloric) if flat % 2 else ("fhkvdataiii", fhkv)
        meters.extend(
            FlatMeter(
                f"{70_000_000 + flat * 100 + room}",
                driver,
                "radiator",
                f"flat{flat}_radiator{room}",
                template,
            )
            for room in range(1, 4)
        )
        meters.extend(
            FlatMeter(
                f"{70_000_000 + flat * 100 + slot}",
                "multical21",
                role,
                f"flat{flat}_{role}",
                {**water, "media": media},
            )
            for slot, (role, media) in enumerate(
                (("cold_water", "cold water"), ("hot_tap_water", "warm water")), start=4
            )
        )
    return meters


def telegram(meter: FlatMeter, round_no: int, at: datetime) -> dict[str, Any]:
    """The meter's telegram of a round: totals a little up, temperatures moving."""
    values: dict[str, Any] = {
        **meter.template,
        "name": meter.name,
        "id": meter.meter_id,
        "timestamp": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    wobble = (round_no % 7) / 10
    if meter.driver == "qcaloric":
        values["current_consumption_hca"] = meter.template["current_consumption_hca"] + round_no
    elif meter.driver == "fhkvdataiii":
        values["current_hca"] = meter.template["current_hca"] + round_no
        values["temp_room_c"] = round(meter.template["temp_room_c"] + wobble, 2)
        values["temp_radiator_c"] = round(meter.template["temp_radiator_c"] + 2 * wobble, 2)
    else:
        values["total_m3"] = round(meter.template["total_m3"] + round_no * 0.007, 3)
        values["flow_temperature_c"] = meter.template["flow_temperature_c"] + round_no % 5
    return values


# Round n's telegrams carry this instant plus n seconds: each meter's telegrams are in
# order, whichever run sends them.
ROUND_ZERO = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


def rounds(meters: Sequence[FlatMeter], first: int, count: int) -> Iterator[bytes]:
    """The request bodies of `count` rounds from round `first`, each a second later."""
    for round_no in range(first, first + count):
        at = ROUND_ZERO + timedelta(seconds=round_no)
        for meter in meters:
            yield json.dumps(telegram(meter, round_no, at), separators=(",", ":")).encode()


def installation(meters: Sequence[FlatMeter], webhook_id: str, title: str) -> MockConfigEntry:
    """The block's installation: wM-Bus over HTTP with a token, one subentry per meter."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        version=1,
        minor_version=1,
        data={"wmbus": {"transport": "http", "webhook_id": webhook_id, "token": TOKEN}},
        options={},
        subentries_data=[
            {
                "subentry_id": meter.subentry_id,
                "subentry_type": SUBENTRY_WMBUS_METER,
                "title": f"{meter.name} · wM-Bus {meter.meter_id}",
                "unique_id": meter.meter_id,
                "data": {
                    "meter_id": meter.meter_id,
                    "driver": meter.driver,
                    "key": None,
                    "role": meter.role,
                },
            }
            for meter in meters
        ],
    )


# --- the client process -------------------------------------------------------------


async def client_main(url: str, bodies_path: Path, connections: int) -> None:
    """Post every body (one a line) over `connections` keep-alive connections; print the times.

    Says `ready` once connected, sends after a `go` line on stdin, then prints one JSON
    object: each request's latency in ns, the statuses and answers, the elapsed time.
    """
    bodies = (await asyncio.to_thread(bodies_path.read_bytes)).splitlines()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    latencies: list[int] = []
    statuses: Counter[int] = Counter()
    answers: Counter[str] = Counter()
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        pending = iter(bodies)

        async def worker() -> None:
            for body in pending:
                started = time.perf_counter_ns()
                async with session.post(url, data=body, headers=headers) as response:
                    answer = (await response.text()).strip()
                latencies.append(time.perf_counter_ns() - started)
                statuses[response.status] += 1
                answers[answer] += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    result = {
        "latencies_ns": latencies,
        "statuses": statuses,
        "answers": answers,
        "elapsed_s": elapsed,
    }
    print(json.dumps(result), flush=True)


@dataclass
class ClientRun:
    """What one client run measured, and the loop's CPU meanwhile."""

    connections: int
    latencies_ns: list[int]
    statuses: Counter[str]
    answers: Counter[str]
    elapsed_s: float
    loop_cpu_s: float
    # Pauses of the full (generation 2) garbage collections while the client sent, in s.
    full_collections: list[float] = field(default_factory=list)
    state_changed: int = 0

    @property
    def telegrams(self) -> int:
        return len(self.latencies_ns)

    @property
    def accepted(self) -> int:
        return self.answers["accepted: 1"]

    def percentile_ms(self, share: float) -> float:
        ordered = sorted(self.latencies_ns)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] / 1e6


async def run_client(url: str, bodies: Iterator[bytes], connections: int, tmp: Path) -> ClientRun:
    """Send the bodies from a client process; the loop serves them meanwhile."""
    path = tmp / f"bodies-{connections}-{time.monotonic_ns()}.jsonl"
    path.write_bytes(b"\n".join(bodies) + b"\n")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.wmbus",
        "--client",
        url,
        str(path),
        str(connections),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env=os.environ.copy(),
    )
    if process.stdin is None or process.stdout is None:
        raise RuntimeError("the client started without its pipes")
    if (await process.stdout.readline()).strip() != b"ready":
        raise RuntimeError("the client did not start")
    gc.collect()
    with full_collections() as pauses:
        started = time.thread_time()
        process.stdin.write(b"go\n")
        await process.stdin.drain()
        output = await process.stdout.read()
        loop_cpu = time.thread_time() - started
    if await process.wait() != 0:
        raise RuntimeError("the client failed")
    result = json.loads(output)
    return ClientRun(
        connections=connections,
        latencies_ns=result["latencies_ns"],
        statuses=Counter({str(k): v for k, v in result["statuses"].items()}),
        answers=Counter(result["answers"]),
        elapsed_s=result["elapsed_s"],
        loop_cpu_s=loop_cpu,
        full_collections=pauses,
    )


@contextlib.contextmanager
def full_collections() -> Iterator[list[float]]:
    """The pauses of the full garbage collections meanwhile (they stop every thread)."""
    pauses: list[float] = []
    started: list[float] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            pauses.append(time.perf_counter() - started[0])

    gc.callbacks.append(note)
    try:
        yield pauses
    finally:
        gc.callbacks.remove(note)


# --- Home Assistant -----------------------------------------------------------------


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


async def start_home_assistant(hass: HomeAssistant, tmp: Path, recorder: bool) -> int:
    """Ours from the repository, the recorder, and `http` on a loopback port; returns it."""
    # As tests/conftest.py's enable_custom_integrations: ours from the repo.
    hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
    if recorder:
        recorder_helper.async_initialize_recorder(hass)
        config = {"recorder": {"db_url": f"sqlite:///{tmp / 'home-assistant_v2.db'}"}}
        if not await async_setup_component(hass, "recorder", config):
            raise RuntimeError("the recorder did not start")
        await hass.data[recorder_helper.DATA_RECORDER].db_connected
    port = free_port()
    http = {"http": {"server_host": [LOOPBACK], "server_port": port}}
    if not await async_setup_component(hass, "http", http):
        raise RuntimeError("http did not set up")
    # The server starts with Home Assistant (the harness's instance is running already).
    hass.bus.async_fire(EVENT_HOMEASSISTANT_START)
    await hass.async_block_till_done()
    return port


async def add_installation(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the installation up."""
    entry.add_to_hass(hass)
    if not await hass.config_entries.async_setup(entry.entry_id):
        raise RuntimeError(f"{entry.title} did not set up")
    await hass.async_block_till_done()


def endpoint(port: int, webhook_id: str) -> str:
    """The installation's endpoint on the loopback server."""
    return f"http://{LOOPBACK}:{port}/api/webhook/{webhook_id}"


def wrong_states(
    hass: HomeAssistant, meters: Sequence[FlatMeter], last_round: int
) -> list[tuple[str, str | None, Any]]:
    """Meters whose main entity does not show the last round's value: (id, shown, sent)."""
    registry = er.async_get(hass)
    wrong: list[tuple[str, str | None, Any]] = []
    for meter in meters:
        name = MAIN_FIELD[meter.driver]
        sent = telegram(meter, last_round, datetime.now(UTC))[name]
        entity_id = registry.async_get_entity_id("sensor", DOMAIN, f"{meter.subentry_id}_{name}")
        state = hass.states.get(entity_id) if entity_id else None
        shown = state.state if state is not None else None
        with contextlib.suppress(TypeError, ValueError):
            if shown is not None and float(shown) == float(sent):
                continue
        wrong.append((meter.meter_id, shown, sent))
    return wrong


@dataclass
class ServiceResult:
    """The throughput phase's figures."""

    runs: list[ClientRun] = field(default_factory=list)
    entities: int = 0
    enabled_entities: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    wrong: list[tuple[str, str | None, Any]] = field(default_factory=list)


async def measure_service(
    meters: Sequence[FlatMeter], rounds_per_run: int, recorder: bool
) -> ServiceResult:
    """Warm up, then one connection, then CONNECTIONS at once."""
    result = ServiceResult()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        async with async_test_home_assistant(config_dir=tmp_name) as hass:
            port = await start_home_assistant(hass, tmp, recorder)
            entry = installation(meters, "benchmark_block", "Block of flats")
            await add_installation(hass, entry)
            url = endpoint(port, "benchmark_block")
            warm = await run_client(url, rounds(meters, 0, 1), CONNECTIONS, tmp)
            await hass.async_block_till_done()
            if warm.accepted != len(meters):
                raise RuntimeError(f"warm-up answers: {dict(warm.answers)}")
            registered = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
            ours = {registry_entry.entity_id for registry_entry in registered}
            result.entities = len(ours)
            result.enabled_entities = sum(not e.disabled for e in registered)
            changed = Counter[int]()

            @callback
            def count(event: Event[EventStateChangedData]) -> None:
                if event.data["entity_id"] in ours:
                    changed[0] += 1

            unsubscribe = hass.bus.async_listen("state_changed", count)
            first = 1
            for connections in (1, CONNECTIONS):
                changed.clear()
                bodies = rounds(meters, first, rounds_per_run)
                run = await run_client(url, bodies, connections, tmp)
                run.state_changed = changed[0]
                result.runs.append(run)
                first += rounds_per_run
            unsubscribe()
            await hass.async_block_till_done()
            result.wrong = wrong_states(hass, meters, first - 1)
            coordinator = cast("BeNextRuntimeData", entry.runtime_data).coordinator(
                WmbusCoordinator
            )
            if coordinator is not None:
                result.outcomes = Counter({str(k): v for k, v in coordinator.outcomes.items()})
            await hass.async_stop(force=True)
    return result


def rss_bytes() -> int:
    """The process's resident set size."""
    pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


@dataclass
class MemoryResult:
    """What an empty installation and the 300-meter one added, measured one way."""

    traced: bool  # tracemalloc's traced bytes, or else the RSS
    meters: int
    empty: int = 0
    full: int = 0
    # Where the 300-meter installation's memory went: (source file, bytes), largest first.
    growth: list[tuple[str, int]] = field(default_factory=list)
    # What the integration's own source files allocated of it, by file, largest first.
    own_files: list[tuple[str, int]] = field(default_factory=list)

    @property
    def own(self) -> int:
        """What the integration's own source files allocated."""
        return sum(size for _, size in self.own_files)

    @property
    def per_meter_kib(self) -> float:
        """The 300-meter installation less the empty one, per meter."""
        return (self.full - self.empty) / self.meters / 1024


async def settled_memory(hass: HomeAssistant, traced: bool) -> int:
    """Traced bytes or RSS once the loop and the recorder are done and garbage is collected."""
    from homeassistant.components.recorder import get_instance  # noqa: PLC0415

    await hass.async_block_till_done()
    if recorder_helper.DATA_RECORDER in hass.data and "recorder" in hass.config.components:
        await get_instance(hass).async_block_till_done()
    gc.collect()
    return tracemalloc.get_traced_memory()[0] if traced else rss_bytes()


async def measure_memory(meters: Sequence[FlatMeter], traced: bool, recorder: bool) -> MemoryResult:
    """An empty installation's cost, then the 300-meter one's, in a fresh Home Assistant.

    Traced: tracemalloc on from the start, and where the memory went. Otherwise the RSS,
    which tracemalloc's own bookkeeping would inflate.
    """
    result = MemoryResult(traced, len(meters))
    if traced:
        tracemalloc.start()
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            async with async_test_home_assistant(config_dir=tmp_name) as hass:
                port = await start_home_assistant(hass, tmp, recorder)
                # The first installation loads the integration and its platforms.
                await add_installation(hass, installation([], "benchmark_first", "First"))
                start = await settled_memory(hass, traced)
                await add_installation(hass, installation([], "benchmark_empty", "Empty"))
                empty = await settled_memory(hass, traced)
                before = tracemalloc.take_snapshot() if traced else None
                await add_installation(hass, installation(meters, "benchmark_block", "Block"))
                url = endpoint(port, "benchmark_block")
                await run_client(url, rounds(meters, 0, 1 + MEMORY_ROUNDS), CONNECTIONS, tmp)
                full = await settled_memory(hass, traced)
                if before is not None:
                    stats = tracemalloc.take_snapshot().compare_to(before, "filename")
                    growth = [
                        (_short_path(stat.traceback[0].filename), stat.size_diff) for stat in stats
                    ]
                    result.growth = growth[:GROWTH_FILES]
                    result.own_files = [
                        (name, size) for name, size in growth if name.startswith(OWN_SOURCES)
                    ]
                await hass.async_stop(force=True)
    finally:
        tracemalloc.stop()
    result.empty, result.full = empty - start, full - empty
    return result


def _short_path(filename: str) -> str:
    """A source file's path from its package on, or from the repository."""
    for marker in ("site-packages/", "python3.14/", str(REPO) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# --- the report ---------------------------------------------------------------------


def verdict(ok: bool) -> str:
    """A target's outcome."""
    return "met" if ok else "MISSED"


def report(
    meters: Sequence[FlatMeter],
    service: ServiceResult,
    memory: tuple[MemoryResult, MemoryResult],
) -> None:
    """The table, then what did not go as planned."""
    drivers = Counter(meter.driver for meter in meters)
    print(
        f"\n{len(meters)} meters ({', '.join(f'{n} {d}' for d, n in drivers.items())}),"
        f" {service.entities} entities ({service.enabled_entities} enabled by default)\n"
    )
    print(
        f"| | 1 connection (as wmbusmeters posts: one at a time) | {CONNECTIONS} at once (a burst)"
        " | target |"
    )
    print("|---|---|---|---|")
    one, many = service.runs
    print(f"| telegrams | {one.telegrams} | {many.telegrams} | |")
    rate = [run.accepted / run.elapsed_s for run in service.runs]
    print(
        f"| telegrams handled per second | {rate[0]:.0f} ({verdict(rate[0] >= TARGET_RATE)})"
        f" | {rate[1]:.0f} ({verdict(rate[1] >= TARGET_RATE)}) | >= {TARGET_RATE} |"
    )
    print(
        f"| latency request -> state written, p50 | {one.percentile_ms(0.5):.2f} ms"
        f" | {many.percentile_ms(0.5):.2f} ms | |"
    )
    p99 = [run.percentile_ms(0.99) for run in service.runs]
    print(
        f"| latency request -> state written, p99 | {p99[0]:.2f} ms"
        f" ({verdict(p99[0] < TARGET_P99_MS)}) | {p99[1]:.2f} ms"
        f" ({verdict(p99[1] < TARGET_P99_MS)}) | < {TARGET_P99_MS:.0f} ms |"
    )
    print(
        f"| latency p99.9 / max | {one.percentile_ms(0.999):.2f} / {one.percentile_ms(1):.2f} ms"
        f" | {many.percentile_ms(0.999):.2f} / {many.percentile_ms(1):.2f} ms | |"
    )
    pauses = [
        f"{len(run.full_collections)}, longest {max(run.full_collections, default=0) * 1000:.0f} ms"
        for run in service.runs
    ]
    print(f"| full garbage collections meanwhile | {pauses[0]} | {pauses[1]} | |")
    cpu = [run.loop_cpu_s / max(run.telegrams, 1) * 1000 for run in service.runs]
    print(f"| event-loop CPU per telegram | {cpu[0]:.3f} ms | {cpu[1]:.3f} ms | |")
    changed = [run.state_changed / max(run.telegrams, 1) for run in service.runs]
    print(f"| `state_changed` per telegram | {changed[0]:.2f} | {changed[1]:.2f} | |")
    traced, rss = memory
    own_kib = traced.own / traced.meters / 1024
    print(
        f"| memory per configured meter, the integration's own (traced) | {own_kib:.1f} KiB"
        f" ({verdict(own_kib < TARGET_OWN_KIB_PER_METER)}) | |"
        f" < {TARGET_OWN_KIB_PER_METER:.0f} KiB |"
    )
    print(
        f"| memory per configured meter, with Home Assistant's per entity, traced / RSS"
        f" | {traced.per_meter_kib:.1f} / {rss.per_meter_kib:.1f} KiB | | (reported) |"
    )
    print(
        f"\nAn installation without meters added {traced.empty / 1024:.0f} KiB traced"
        f" ({rss.empty / 1024:.0f} KiB RSS); the one with {traced.meters} meters, after"
        f" {1 + MEMORY_ROUNDS} rounds of telegrams, {traced.full / 1024:.0f} KiB traced"
        f" ({rss.full / 1024:.0f} KiB RSS): {traced.full / max(service.entities, 1) / 1024:.1f}"
        " KiB traced per entity. Where the traced memory went, KiB per meter:"
    )
    for filename, size in traced.growth:
        print(f"- {size / traced.meters / 1024:6.1f} {filename}")
    print("Of which the integration's own, KiB per meter:")
    for filename, size in traced.own_files:
        print(f"- {size / traced.meters / 1024:6.2f} {filename}")
    print(f"Coordinator outcomes: {dict(service.outcomes)}.")
    for run in service.runs:
        if run.accepted != run.telegrams:
            print(f"- {run.connections} connection(s): answers {dict(run.answers)}")
    if service.wrong:
        print(
            f"- {len(service.wrong)} meters do not show their last value, e.g. {service.wrong[:3]}"
        )
    else:
        print("Every meter's main entity shows the value of its last telegram.")


async def run(args: argparse.Namespace) -> None:
    """The throughput phase, then memory traced and as RSS, each in a fresh Home Assistant."""
    meters = block_of_flats(args.flats)
    recorder = not args.no_recorder
    service = await measure_service(meters, args.rounds, recorder)
    traced = await measure_memory(meters, traced=True, recorder=recorder)
    rss = await measure_memory(meters, traced=False, recorder=recorder)
    report(meters, service, (traced, rss))


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/benchmark wmbus", description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="rounds of telegrams per run")
    parser.add_argument("--flats", type=int, default=FLATS, help="flats of five meters each")
    parser.add_argument(
        "--no-recorder", action="store_true", help="without the recorder (to see its share)"
    )
    parser.add_argument("--client", nargs=3, metavar=("URL", "BODIES", "CONNECTIONS"))
    args = parser.parse_args()
    if args.client:
        url, bodies, connections = args.client
        asyncio.run(client_main(url, Path(bodies), int(connections)))
        return
    print(
        "# wM-Bus: a block of flats posting wmbusmeters JSON to the installation's endpoint,"
        " through Home Assistant's HTTP server on loopback"
    )
    with reported_logs():
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
