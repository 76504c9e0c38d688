"""Validation: a 30-meter home with 14 days of long-term statistics, validated as BeNext does.

The installation (`benext`) has 30 meters as subentries, each on its real bus peer on
loopback: a DSMR 5 smart meter on a P1 network reader (a telegram every 10 s), 19 kWh
meters on a Modbus TCP converter (BeNext's PV, heat pump and ventilation meters and 16
auxiliary ones, polled every 30 s), and 10 wM-Bus meters (a space heating and a hot tap
water heat meter, 8 cold water meters) whose fields the installation already knows.
Home Assistant (the test harness's instance, in Utrecht) runs the real recorder on an
SQLite file, into which every total sensor (kWh, m³, GJ) gets 14 days of hourly
long-term statistics, imported as the recorder compiles them.

Measured, with the integration's own validation as it runs every five minutes
(`installation_validation.InstallationValidation.async_validate`: the amounts from the
statistics, the snapshot, the rules, the grace period, the stored state and the repair
issues), its validation start stored 14 days back:
- a full validation, as the first after a start: every meter's day-1, day-10 and
  since-start amounts and the PV meter's night production read from the statistics. Wall
  time, and event-loop time: `time.thread_time()` of the loop thread from start to end,
  which counts only what ran on the loop thread (the recorder's queries run in its own
  executor thread and are left out), but includes any other callback the loop ran
  meanwhile (a telegram, a poll): the idle loop's thread time over as long a wait is shown
  beside it;
- the periodic re-check, every 5 minutes: day 1 and day 10 are known by then and not read
  again. Its cost is the process CPU time (every thread: the loop, the recorder's executor
  and anything else running) of one re-check, as a share of one core over 300 s: an upper
  bound.
Run it with `scripts/benchmark validation` (`--runs 5` for a quicker look).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
import statistics
import tempfile
import time

from homeassistant.components.recorder import get_instance
from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import async_import_statistics
from homeassistant.components.sensor import SensorStateClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_test_home_assistant,
)

from benchmarks.logged import reported_logs
from benchmarks.wmbus import add_installation, start_home_assistant
from custom_components.benext.installation_validation import InstallationValidation
from custom_components.benext.runtime import BeNextConfigEntry
from custom_components.benext.validation_store import StoredValidation, ValidationStore
from simulated_home.kwh_meters import MeterModel, MeterReadings, SimulatedKwhMeter
from tests.modbus_helpers import modbus_meter_subentry
from tests.peers import FIXTURES, ModbusTcpPeer, P1TelegramServer, benext_meters
from tests.validation_helpers import benext_home
from tests.wmbus_peers import WEBHOOK_ID, Meter, wmbus_meter_subentry

DAYS = 14
AUXILIARY_METERS = 16
COLD_WATER_METERS = 8
RECHECK_INTERVAL_S = 300.0
TARGET_LOOP_MS = 100.0
TARGET_RECHECK_PERCENT = 1.0
UNIT_CLASSES = {"kWh": "energy", "GJ": "energy", "m³": "volume"}


def auxiliary_meters() -> list[SimulatedKwhMeter]:
    """Further kWh meters at 5 and up."""
    return [
        SimulatedKwhMeter(
            MeterModel.EASTRON_SDM220,
            address,
            serial=23_000_000 + address,
            readings=MeterReadings.from_power(
                120.0, three_phase=False, import_kwh=100.0 + address, export_kwh=0.0
            ),
        )
        for address in range(5, 5 + AUXILIARY_METERS)
    ]


def wmbus_meters() -> list[Meter]:
    """The two heat meters and the cold water meters, their fields known."""
    heat = ("total_m3", "total_heat_energy_kwh")
    return [
        Meter("meter_space_heating", "29481002", "qualcosonic", None, "space_heating", heat),
        Meter("meter_hot_tap_water", "03016408", "qualcosonic", None, "hot_tap_water", heat),
        *(
            Meter(
                f"meter_cold_{n}",
                f"{76_000_000 + n}",
                "multical21",
                None,
                "cold_water",
                ("total_m3",),
            )
            for n in range(COLD_WATER_METERS)
        ),
    ]


def installation(p1: P1TelegramServer, modbus: ModbusTcpPeer) -> MockConfigEntry:
    """The 30-meter home."""
    auxiliary = [
        {
            **modbus_meter_subentry("auxiliary", meter.device_id, "eastron_sdm220"),
            "subentry_id": f"meter_auxiliary_{meter.device_id}",
        }
        for meter in auxiliary_meters()
    ]
    return benext_home(
        p1,
        modbus,
        *auxiliary,
        *(wmbus_meter_subentry(meter) for meter in wmbus_meters()),
        wmbus_webhook_id=WEBHOOK_ID,
    )


def total_sensors(hass: HomeAssistant, entry: MockConfigEntry) -> list[tuple[str, str]]:
    """Every enabled total of the installation in kWh, GJ or m³: (entity id, unit)."""
    return [
        (entity.entity_id, entity.unit_of_measurement)
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if not entity.disabled
        and entity.unit_of_measurement in UNIT_CLASSES
        and (entity.capabilities or {}).get("state_class") == SensorStateClass.TOTAL_INCREASING
    ]


async def import_history(
    hass: HomeAssistant, totals: list[tuple[str, str]], start: datetime, days: int = DAYS
) -> int:
    """`days` of hourly statistics for every total, the PV meter producing by day; the rows."""
    rows_imported = 0
    hours = days * 24
    for index, (entity_id, unit) in enumerate(totals):
        total, rows = 0.0, []
        for n in range(-1, hours):
            hour = start + timedelta(hours=n)
            if n >= 0:
                local = dt_util.as_local(hour).hour
                total += (
                    (0.5 if 10 <= local < 15 else 0.0) if "pv" in entity_id else 0.01 * (index + 1)
                )
            rows.append(StatisticData(start=hour, state=total, sum=total))
        async_import_statistics(
            hass,
            StatisticMetaData(
                mean_type=StatisticMeanType.NONE,
                has_sum=True,
                name=None,
                source="recorder",
                statistic_id=entity_id,
                unit_class=UNIT_CLASSES[unit],
                unit_of_measurement=unit,
            ),
            rows,
        )
        rows_imported += len(rows)
    await get_instance(hass).async_block_till_done()
    return rows_imported


@dataclass(frozen=True, slots=True)
class Run:
    """One validation: wall time, the loop thread's CPU and the process's CPU, in seconds."""

    wall_s: float
    loop_s: float
    process_s: float
    findings: int


async def one_validation(validation: InstallationValidation) -> Run:
    """One run of the installation's validation, timed."""
    wall, loop, process = time.perf_counter(), time.thread_time(), time.process_time()
    found = await validation.async_validate()
    return Run(
        time.perf_counter() - wall,
        time.thread_time() - loop,
        time.process_time() - process,
        len(found.findings),
    )


async def fresh_validation(hass: HomeAssistant, entry: BeNextConfigEntry) -> InstallationValidation:
    """The installation's validation as after a start: its stored state, no amounts yet."""
    validation = InstallationValidation(hass, entry)
    await validation.async_load()
    return validation


async def idle_loop_time(seconds: float) -> float:
    """The loop thread's CPU while it only runs the home's own callbacks for `seconds`."""
    loop = time.thread_time()
    await asyncio.sleep(seconds)
    return time.thread_time() - loop


@dataclass
class Result:
    """What was measured."""

    meters: int = 0
    totals: int = 0
    rows: int = 0
    amounts: int = 0
    full: list[Run] = field(default_factory=list)
    recheck: list[Run] = field(default_factory=list)
    idle_loop_s: float = 0.0


@dataclass(frozen=True, slots=True)
class HomeWithHistory:
    """The 30-meter home, loaded, with `days` of hourly statistics for each of its totals."""

    hass: HomeAssistant
    entry: BeNextConfigEntry
    totals: int
    start: datetime
    rows: int
    import_s: float


@asynccontextmanager
async def home_with_history(days: int) -> AsyncIterator[HomeWithHistory]:
    """Set the home up on its peers and import its history; stop it all afterwards."""
    p1 = P1TelegramServer((FIXTURES / "dsmr5_nl_iskra_gas.txt").read_bytes(), interval=10.0)
    modbus = ModbusTcpPeer(benext_meters() + auxiliary_meters())
    await p1.start()
    await modbus.start()
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            async with async_test_home_assistant(config_dir=tmp_name) as hass:
                await hass.config.async_set_time_zone("Europe/Amsterdam")
                hass.config.latitude, hass.config.longitude = 52.09, 5.12
                await start_home_assistant(hass, Path(tmp_name), recorder=True)
                entry = installation(p1, modbus)
                await add_installation(hass, entry)
                totals = total_sensors(hass, entry)
                start = dt_util.utcnow().replace(minute=0, second=0, microsecond=0)
                start -= timedelta(days=days)
                began = time.perf_counter()
                rows = await import_history(hass, totals, start, days)
                yield HomeWithHistory(
                    hass, entry, len(totals), start, rows, time.perf_counter() - began
                )
                await hass.config_entries.async_unload(entry.entry_id)
                await hass.async_block_till_done()
                # Stopped as Home Assistant stops, so the recorder's thread ends with it.
                await hass.async_stop()
    finally:
        await p1.stop()
        await modbus.stop()


async def measure(runs: int) -> Result:
    """Set the home up, import its history, then validate it afresh and re-check it."""
    result = Result()
    async with home_with_history(DAYS) as home:
        hass, entry = home.hass, home.entry
        result.meters, result.totals, result.rows = len(entry.subentries), home.totals, home.rows
        store = ValidationStore(hass, entry.entry_id)
        await store.async_save_now(StoredValidation(validation_start=home.start))
        full = [await one_validation(await fresh_validation(hass, entry)) for _ in range(runs)]
        validation = await fresh_validation(hass, entry)
        await validation.async_validate()
        result.amounts = validation.counted_meters
        recheck = [await one_validation(validation) for _ in range(runs)]
        result.full, result.recheck = full, recheck
        result.idle_loop_s = await idle_loop_time(statistics.median(r.wall_s for r in full))
    return result


def verdict(passed: bool) -> str:
    """How a figure compares with its target."""
    return "pass" if passed else "MISS"


def report(result: Result) -> None:
    """The table of figures and targets."""
    print(
        f"\n{result.meters} meters, {result.totals} totals with statistics, {result.rows} hourly"
        f" rows over {DAYS} days; {result.amounts} meters with amounts"
        f" ({len(result.full)} runs each, median and max)\n"
    )

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.1f} ms (max {max(values) * 1000:.1f})"

    full_loop = statistics.median(r.loop_s for r in result.full) * 1000
    recheck_cpu = statistics.median(r.process_s for r in result.recheck)
    share = recheck_cpu / RECHECK_INTERVAL_S * 100
    print("| | full validation | periodic re-check (day 1 and 10 known) | target |")
    print("|---|---|---|---|")
    print(
        f"| wall time | {ms([r.wall_s for r in result.full])}"
        f" | {ms([r.wall_s for r in result.recheck])} | |"
    )
    print(
        f"| event-loop time (loop thread CPU) | {ms([r.loop_s for r in result.full])}"
        f" ({verdict(full_loop < TARGET_LOOP_MS)})"
        f" | {ms([r.loop_s for r in result.recheck])} | < {TARGET_LOOP_MS:.0f} ms |"
    )
    print(f"| idle loop over as long a wait (noise) | {result.idle_loop_s * 1000:.1f} ms | | |")
    print(
        f"| process CPU, all threads | {ms([r.process_s for r in result.full])}"
        f" | {ms([r.process_s for r in result.recheck])} | |"
    )
    print(
        f"| re-check every {RECHECK_INTERVAL_S:.0f} s, share of one core | |"
        f" {share:.3f} % ({verdict(share < TARGET_RECHECK_PERCENT)})"
        f" | < {TARGET_RECHECK_PERCENT:.0f} % |"
    )
    print(f"\nFindings per validation: {result.full[-1].findings}.")
    print(
        "Event-loop time is time.thread_time() of the loop thread across one validation: it"
        " leaves out the recorder's queries (its executor thread) but counts any other"
        " callback the loop ran meanwhile. The re-check's share is the process's CPU time"
        " of one run (every thread) over 300 s."
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/benchmark validation", description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="validations of each kind")
    args = parser.parse_args()
    print(
        "# Validation: a 30-meter home on its real bus peers, with 14 days of long-term"
        " statistics in the recorder"
    )
    with reported_logs():
        report(asyncio.run(measure(args.runs)))


if __name__ == "__main__":
    main()
