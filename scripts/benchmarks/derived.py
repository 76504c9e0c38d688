"""Derived energy: the event-loop time the hub's derived sensors add per source reading.

A home with a DSMR 5 smart meter on a P1 network reader (loopback) and its PV, heat pump
and ventilation totals as other integrations' sensors ("existing entity" meters), with an
EPV budget: all seven derived sensors exist. The run sets the PV and heat pump totals N
times each (`hass.states.async_set`, as their integrations would), and measures the loop
thread's CPU time (`time.thread_time()`) until every change is handled: the derived ledger,
its store's delayed save and the sensors' state writes. The same changes to two sensors
nobody follows are measured alike; the difference per change is what the derived sensors
add. The target (issue 15) is under 0.1 ms per source reading. Each PV step raises the
household, the EPV used and remaining; each heat pump step the building-related total (the
household's dip is not shown): two or three of the seven sensors move per reading.
Run it with `scripts/benchmark derived` (`--readings 2000` for a quicker look).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
import statistics
import tempfile
import time

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_test_home_assistant

from benchmarks.wmbus import add_installation, start_home_assistant
from tests.derived_helpers import (
    FIXTURE,
    HEAT_PUMP,
    PV,
    VENTILATION,
    derived_home,
    set_energy,
)
from tests.peers import P1TelegramServer

TARGET_MS = 0.1
UNFOLLOWED = ("sensor.other_energy_a", "sensor.other_energy_b")


async def loop_time(hass: HomeAssistant, entity_ids: tuple[str, str], readings: int) -> float:
    """Loop-thread CPU seconds for `readings` changes of each of two totals."""
    start = time.thread_time()
    for n in range(readings):
        set_energy(hass, entity_ids[0], f"{200 + n * 0.001:.3f}")
        await asyncio.sleep(0)
        set_energy(hass, entity_ids[1], f"{30 + n * 0.0005:.4f}")
        await asyncio.sleep(0)
    await hass.async_block_till_done()
    return time.thread_time() - start


async def measure(readings: int, runs: int) -> list[float]:
    """Milliseconds the derived sensors add per source reading, per run."""
    server = P1TelegramServer(FIXTURE)
    await server.start()
    added: list[float] = []
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            async with async_test_home_assistant(config_dir=tmp_name) as hass:
                await start_home_assistant(hass, Path(tmp_name), recorder=False)
                for entity_id in (PV, HEAT_PUMP, VENTILATION, *UNFOLLOWED):
                    set_energy(hass, entity_id, "1.0")
                await add_installation(hass, derived_home(server, options={"epv_budget": 2500}))
                await asyncio.sleep(2)  # the smart meter's first telegrams
                for _ in range(runs):
                    followed = await loop_time(hass, (PV, HEAT_PUMP), readings)
                    baseline = await loop_time(hass, UNFOLLOWED, readings)
                    added.append((followed - baseline) / (2 * readings) * 1000)
                await hass.async_stop(force=True)
    finally:
        await server.stop()
    return added


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    added = asyncio.run(measure(args.readings, args.runs))
    median = statistics.median(added)
    print(f"derived sensors: {median:.4f} ms loop time per source reading (median of {args.runs})")
    print(f"runs: {', '.join(f'{ms:.4f}' for ms in added)}; target < {TARGET_MS} ms")


if __name__ == "__main__":
    main()
