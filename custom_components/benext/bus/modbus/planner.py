"""The read plan of a meter: the fewest wire-seconds of requests that cover what is needed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .quantities import Quantity
from .register_maps import RegisterMap, Table
from .wire_time import request_cost


@dataclass(frozen=True, slots=True)
class ReadBlock:
    """One read request: a contiguous run of registers and the values it carries."""

    table: Table
    address: int
    count: int
    quantities: tuple[Quantity, ...]


def plan_reads(register_map: RegisterMap, quantities: Iterable[Quantity]) -> tuple[ReadBlock, ...]:
    """The cheapest requests that read `quantities` from a meter with this map.

    Reading the registers between two values costs 2 bytes each; a separate request
    costs its own frames and silences. Sorted by address, the best plan splits the
    values into consecutive runs, so a dynamic programme over the split points finds
    the optimum, within the map's limit per request, its even-count rule and its
    block boundaries. Quantities the map lacks are left out.
    """
    wanted = sorted(
        {q for q in quantities if q in register_map.registers},
        key=lambda q: register_map.registers[q].address,
    )
    # best[i]: (cost, requests, start of the last run) for the first i values.
    best: list[tuple[float, int, int]] = [(0.0, 0, 0)]
    for end_index in range(1, len(wanted) + 1):
        candidates: list[tuple[float, int, int]] = []
        end = max(register_map.registers[q].end for q in wanted[:end_index])
        for start_index in range(end_index - 1, -1, -1):
            count = _count(register_map, wanted[start_index], end)
            start = register_map.registers[wanted[start_index]].address
            if count > register_map.max_registers or any(
                start < boundary < start + count for boundary in register_map.boundaries
            ):
                break
            cost, requests, _ = best[start_index]
            candidates.append((cost + request_cost(count), requests + 1, start_index))
        if not candidates:
            raise ValueError(f"{wanted[end_index - 1]} does not fit in one request")
        best.append(min(candidates))

    blocks: list[ReadBlock] = []
    end_index = len(wanted)
    while end_index > 0:
        start_index = best[end_index][2]
        run = wanted[start_index:end_index]
        end = max(register_map.registers[q].end for q in run)
        blocks.append(
            ReadBlock(
                table=register_map.table,
                address=register_map.registers[run[0]].address,
                count=_count(register_map, run[0], end),
                quantities=tuple(run),
            )
        )
        end_index = start_index
    return tuple(reversed(blocks))


def plan_one_request_per_value(
    register_map: RegisterMap, quantities: Iterable[Quantity]
) -> tuple[ReadBlock, ...]:
    """One request per value, as a reader with one sensor per request does it."""
    return tuple(
        ReadBlock(
            table=register_map.table,
            address=register_map.registers[q].address,
            count=register_map.registers[q].encoding.size,
            quantities=(q,),
        )
        for q in sorted(
            (q for q in quantities if q in register_map.registers),
            key=lambda q: register_map.registers[q].address,
        )
    )


def _count(register_map: RegisterMap, first: Quantity, end: int) -> int:
    count = end - register_map.registers[first].address
    if register_map.even_count and count % 2:
        count += 1
    return count
