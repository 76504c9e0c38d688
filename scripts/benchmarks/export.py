"""Period export: a year of long-term statistics for a 30-meter home, exported as CSV.

The 30-meter home of `benchmarks.validation` (a DSMR 5 smart meter on a P1 network reader,
19 kWh meters on a Modbus TCP converter, 10 wM-Bus meters, each on its real bus peer on
loopback) in the harness's Home Assistant with the real recorder on an SQLite file. Every
total sensor (kWh, m³, GJ) gets a year of hourly long-term statistics (8760 rows and the
hour before), imported as the recorder compiles them, by the validation benchmark's own
functions.

Measured: `benext.export_period` for that year, called as an automation calls it (with
its response), from the action call to its return: every meter's totals read from the
statistics in the recorder's executor, the gaps found, the CSV written in the executor,
the response built. Wall time, and the event loop's share of it (`time.thread_time()` of
the loop thread, which leaves out the executors' work but counts any telegram or poll the
loop handled meanwhile). Run it with `scripts/benchmark export` (`--runs 3` for a quicker
look, `--days 30` for a smaller history).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
import statistics
import time

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from benchmarks.logged import reported_logs
from benchmarks.validation import (
    home_with_history,
    verdict,
)
from custom_components.benext.const import DOMAIN

DAYS = 365
TARGET_WALL_S = 1.0


@dataclass(frozen=True, slots=True)
class Run:
    """One export: wall time and the loop thread's CPU, in seconds; the CSV's total rows."""

    wall_s: float
    loop_s: float
    rows: int


@dataclass
class Result:
    """What was measured."""

    meters: int = 0
    totals: int = 0
    rows: int = 0
    import_s: float = 0.0
    runs: list[Run] = field(default_factory=list)


async def one_export(hass: HomeAssistant, entry_id: str, days: int) -> Run:
    """One export of the last `days` (whole hours), timed; the file is read back."""
    end = dt_util.now().replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=days)
    wall, loop = time.perf_counter(), time.thread_time()
    response = await hass.services.async_call(
        DOMAIN,
        "export_period",
        {"config_entry_id": entry_id, "start": start, "end": end},
        blocking=True,
        return_response=True,
    )
    run_wall, run_loop = time.perf_counter() - wall, time.thread_time() - loop
    if response is None:
        raise RuntimeError("export_period returned nothing")
    rows = await hass.async_add_executor_job(csv_totals, Path(str(response["file"])))
    return Run(run_wall, run_loop, rows)


def csv_totals(path: Path) -> int:
    """The totals (rows) of an exported file."""
    with path.open(encoding="utf-8", newline="") as file:
        return sum(1 for _ in csv.DictReader(file))


async def measure(runs: int, days: int) -> Result:
    """Set the home up, import its year, then export it `runs` times."""
    result = Result()
    async with home_with_history(days) as home:
        result.meters, result.totals = len(home.entry.subentries), home.totals
        result.rows, result.import_s = home.rows, home.import_s
        result.runs = [await one_export(home.hass, home.entry.entry_id, days) for _ in range(runs)]
    return result


def report(result: Result, days: int) -> None:
    """The table of figures and targets."""
    print(
        f"\n{result.meters} meters, {result.totals} totals with statistics, {result.rows} hourly"
        f" rows over {days} days (imported in {result.import_s:.0f} s);"
        f" {result.runs[-1].rows} totals in the CSV ({len(result.runs)} exports, median and max)\n"
    )

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms (max {max(values) * 1000:.0f})"

    wall = statistics.median(r.wall_s for r in result.runs)
    print("| export of the period | measured | target |")
    print("|---|---|---|")
    print(
        f"| wall time, action call to response | {ms([r.wall_s for r in result.runs])}"
        f" ({verdict(wall < TARGET_WALL_S)}) | < {TARGET_WALL_S * 1000:.0f} ms |"
    )
    print(f"| event-loop time (loop thread CPU) | {ms([r.loop_s for r in result.runs])} | |")


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/benchmark export", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="exports of the period")
    parser.add_argument("--days", type=int, default=DAYS, help="days of hourly statistics")
    args = parser.parse_args()
    print(
        f"# Period export: a 30-meter home on its real bus peers, {args.days} days of hourly"
        " long-term statistics per total"
    )
    with reported_logs():
        report(asyncio.run(measure(args.runs, args.days)), args.days)


if __name__ == "__main__":
    main()
