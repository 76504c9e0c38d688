"""How the kWh meters are read: requests, bytes and wire time per poll, planned and measured.

For the BeNext set (SDM630 at 2, SDM220 at 3, SDM220 at 4) and an Inepro 4PS, with the
entities enabled by default (and the 4PS with its tariff entities too):
- our plan (contiguous blocks within each meter's rules), against a reader with one
  request per value (Home Assistant's YAML `modbus` reads one sensor per request), and
  against the cheapest plan an exhaustive search finds;
- wire time at 9600 baud 8N1 (frames plus 3.5-character silences), and that plus a
  meter's reply delay;
- measured: the integration's own client and reader polling simulated meters that hold
  the real register maps, over Modbus RTU framing on loopback, counting each request
  and every byte on the wire.

Run it with `scripts/benchmark modbus`.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from itertools import combinations, pairwise
import time

from custom_components.benext.bus.connection import Bus, BusConnection, NetworkSettings, Transport
from custom_components.benext.bus.modbus.client import ModbusBusClient
from custom_components.benext.bus.modbus.planner import (
    ReadBlock,
    plan_one_request_per_value,
    plan_reads,
)
from custom_components.benext.bus.modbus.quantities import Quantity
from custom_components.benext.bus.modbus.reader import ModbusMeterReader
from custom_components.benext.bus.modbus.register_maps import (
    EASTRON_1P,
    EASTRON_3P,
    INEPRO_4PS,
    RegisterMap,
)
from custom_components.benext.bus.modbus.wire_time import request_bytes, request_cost, wire_seconds
from custom_components.benext.domain.heat_pump_modes import DEFAULT_TARIFF_MODES
from custom_components.benext.domain.modbus_meter_models import ModbusMeterModel
from custom_components.benext.domain.roles import Role
from custom_components.benext.modbus.coordinator import MAIN_QUANTITIES
from custom_components.benext.modbus.descriptions import modbus_sensor_descriptions
from custom_components.benext.modbus.settings import ModbusMeterSettings
from simulated_home.kwh_meters import MeterModel, SimulatedKwhMeter
from simulated_home.modbus import ModbusPeer

BAUDRATE = 9600
# A meter starts its reply some milliseconds after the request; Eastron and Inepro
# manuals give no figure. The estimate adds this per request.
REPLY_DELAY_S = 0.050


@dataclass(frozen=True)
class Meter:
    """A meter of a benchmarked set."""

    address: int
    role: Role
    model: ModbusMeterModel
    register_map: RegisterMap
    all_tariffs: bool = False

    @property
    def label(self) -> str:
        extra = " + tariff entities" if self.all_tariffs else ""
        return f"{self.model.value} @{self.address} ({self.role.value}){extra}"


BENEXT_SET = (
    Meter(2, Role.PV, ModbusMeterModel.EASTRON_SDM630, EASTRON_3P),
    Meter(3, Role.HEAT_PUMP, ModbusMeterModel.EASTRON_SDM220, EASTRON_1P),
    Meter(4, Role.VENTILATION, ModbusMeterModel.EASTRON_SDM220, EASTRON_1P),
)
INEPRO_SET = (Meter(3, Role.HEAT_PUMP, ModbusMeterModel.INEPRO_4PS, INEPRO_4PS),)
INEPRO_TARIFFS_SET = (
    Meter(3, Role.HEAT_PUMP, ModbusMeterModel.INEPRO_4PS, INEPRO_4PS, all_tariffs=True),
)


def enabled_quantities(meter: Meter) -> set[Quantity]:
    """What the meter's entities enabled by default need (the integration's own table)."""
    settings = ModbusMeterSettings(
        role=meter.role,
        address=meter.address,
        model=meter.model,
        register_map=meter.register_map,
        serial=None,
        tariff_modes=DEFAULT_TARIFF_MODES,
    )
    quantities = set(MAIN_QUANTITIES)
    for description in modbus_sensor_descriptions(settings, meter.register_map):
        tariff_entity = Quantity.ACTIVE_TARIFF in description.quantities or any(
            quantity.value.startswith("import_energy_t") for quantity in description.quantities
        )
        if description.entity_registry_enabled_default or (meter.all_tariffs and tariff_entity):
            quantities.update(description.quantities)
    return quantities


def cheapest_by_search(register_map: RegisterMap, quantities: set[Quantity]) -> list[int]:
    """Register counts of the cheapest plan, trying every split of the sorted values."""
    ordered = sorted(quantities, key=lambda q: register_map.registers[q].address)
    best: tuple[float, list[int]] = (float("inf"), [])
    for splits in range(len(ordered)):
        for cut in combinations(range(1, len(ordered)), splits):
            bounds = [0, *cut, len(ordered)]
            counts = []
            for start, end in pairwise(bounds):
                first = register_map.registers[ordered[start]].address
                last = max(register_map.registers[q].end for q in ordered[start:end])
                count = last - first
                count += register_map.even_count and count % 2
                if count > register_map.max_registers or any(
                    first < b < first + count for b in register_map.boundaries
                ):
                    break
                counts.append(count)
            else:
                cost = sum(request_cost(count) for count in counts)
                best = min(best, (cost, counts))
    return best[1]


@dataclass
class Row:
    """One reader's cost for a set of meters."""

    requests: int
    bytes: int
    wire_s: float

    @classmethod
    def of(cls, counts: list[int]) -> Row:
        return cls(
            len(counts), sum(request_bytes(c) for c in counts), wire_seconds(counts, BAUDRATE)
        )


def analyse(name: str, meters: tuple[Meter, ...]) -> dict[str, Row]:
    """Our plan, one request per value, and the exhaustive minimum, per poll of the set."""
    ours: list[int] = []
    per_value: list[int] = []
    minimum: list[int] = []
    print(f"\n## {name}")
    for meter in meters:
        quantities = enabled_quantities(meter)
        blocks = plan_reads(meter.register_map, quantities)
        ours += [block.count for block in blocks]
        per_value += [b.count for b in plan_one_request_per_value(meter.register_map, quantities)]
        minimum += cheapest_by_search(meter.register_map, quantities)
        print(f"- {meter.label}: {len(quantities)} values -> {describe(blocks)}")
    rows = {
        "ours": Row.of(ours),
        "one request per value": Row.of(per_value),
        "minimum (exhaustive search)": Row.of(minimum),
    }
    print()
    print(
        "| reader | requests/poll | requests/meter | bytes on the wire | wire time at 9600 "
        f"| with {REPLY_DELAY_S * 1000:.0f} ms reply delay | vs minimum |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, row in rows.items():
        print(
            f"| {label} | {row.requests} | {row.requests / len(meters):.1f} | {row.bytes} "
            f"| {row.wire_s * 1000:.1f} ms "
            f"| {(row.wire_s + row.requests * REPLY_DELAY_S) * 1000:.0f} ms "
            f"| {row.wire_s / rows['minimum (exhaustive search)'].wire_s:.2f}x |"
        )
    return rows


def describe(blocks: tuple[ReadBlock, ...]) -> str:
    return ", ".join(
        f"FC{block.table.value:02d} {block.address:#06x}x{block.count}" for block in blocks
    )


async def measure(meters: tuple[Meter, ...], polls: int) -> None:
    """Poll simulated meters through the integration's client; count requests and bytes."""
    peer_models = {
        ModbusMeterModel.EASTRON_SDM630: MeterModel.EASTRON_SDM630,
        ModbusMeterModel.EASTRON_SDM220: MeterModel.EASTRON_SDM220,
        ModbusMeterModel.INEPRO_4PS: MeterModel.INEPRO_4PS,
    }
    peer = ModbusPeer(
        [SimulatedKwhMeter(peer_models[m.model], m.address, 10_000 + m.address) for m in meters],
        transport="rtu_over_tcp",
        host="127.0.0.1",
        port=0,
    )
    await peer.start()
    client = ModbusBusClient(
        BusConnection(
            Bus.MODBUS,
            Transport.RTU_OVER_TCP,
            network=NetworkSettings("127.0.0.1", peer.port),
        )
    )
    await client.async_connect()
    readers = [
        ModbusMeterReader(client, m.address, m.register_map, enabled_quantities(m)) for m in meters
    ]
    started_cpu, started = time.process_time(), time.perf_counter()
    for _ in range(polls):
        for reader in readers:
            await reader.async_read_values()
    cpu, elapsed = time.process_time() - started_cpu, time.perf_counter() - started
    client.close()
    await peer.stop()
    counters = client.counters
    print(
        f"\nMeasured over {polls} polls on loopback (Modbus RTU framing): "
        f"{counters.requests / polls:.1f} requests/poll, "
        f"{(counters.bytes_sent + counters.bytes_received) / polls:.0f} bytes/poll "
        f"({counters.bytes_sent / polls:.0f} sent, "
        f"{counters.bytes_received / polls:.0f} received), "
        f"{cpu / polls * 1000:.2f} ms CPU and {elapsed / polls * 1000:.2f} ms per poll "
        "(client and simulated meters in one process)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/benchmark modbus", description=__doc__)
    parser.add_argument("--polls", type=int, default=200, help="measured polls per set")
    args = parser.parse_args()
    print(f"# Modbus read plans at {BAUDRATE} baud 8N1")
    for name, meters in (
        ("BeNext set: SDM630 @2 (PV), SDM220 @3 (heat pump), SDM220 @4 (ventilation)", BENEXT_SET),
        ("Inepro 4PS @3 (heat pump), default entities", INEPRO_SET),
        ("Inepro 4PS @3 (heat pump), tariff entities enabled too", INEPRO_TARIFFS_SET),
    ):
        analyse(name, meters)
        asyncio.run(measure(meters, args.polls))


if __name__ == "__main__":
    main()
