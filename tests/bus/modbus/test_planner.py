"""The read planner: fewest wire-seconds, within each meter's rules for a request."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations, pairwise
import random

import pytest

from custom_components.benext.bus.modbus.planner import (
    ReadBlock,
    plan_one_request_per_value,
    plan_reads,
)
from custom_components.benext.bus.modbus.quantities import Quantity
from custom_components.benext.bus.modbus.register_maps import (
    EASTRON_1P,
    EASTRON_3P,
    INEPRO_3P,
    INEPRO_4PS,
    REGISTER_MAPS,
    RegisterMap,
    Table,
)
from custom_components.benext.bus.modbus.wire_time import request_cost

DEFAULT = (Quantity.POWER, Quantity.IMPORT_ENERGY, Quantity.EXPORT_ENERGY)


def _cost(blocks: tuple[ReadBlock, ...]) -> float:
    return sum(request_cost(block.count) for block in blocks)


def test_eastron_default_entities_take_two_requests() -> None:
    """Power at 0x0034 alone; import and export at 0x0048-0x004B together."""
    assert plan_reads(EASTRON_3P, DEFAULT) == (
        ReadBlock(Table.INPUT, 0x0034, 2, (Quantity.POWER,)),
        ReadBlock(Table.INPUT, 0x0048, 4, (Quantity.IMPORT_ENERGY, Quantity.EXPORT_ENERGY)),
    )


def test_inepro_4ps_default_entities_take_two_requests() -> None:
    """Power in the 0x5000 block; import to export (0x600C-0x6019) in one read."""
    blocks = plan_reads(INEPRO_4PS, DEFAULT)
    assert [(block.table, block.address, block.count) for block in blocks] == [
        (Table.HOLDING, 0x5012, 2),
        (Table.HOLDING, 0x600C, 14),
    ]


def test_the_tariff_word_is_one_register() -> None:
    """The int16 tariff word at 0x6048 shifts T3 and T4 to odd addresses."""
    blocks = plan_reads(
        INEPRO_4PS,
        (Quantity.ACTIVE_TARIFF, Quantity.IMPORT_ENERGY_T3, Quantity.IMPORT_ENERGY_T4),
    )
    assert [(block.address, block.count) for block in blocks] == [(0x6048, 0x6053 - 0x6048)]


def test_every_value_of_every_map_is_read_within_its_rules() -> None:
    for register_map in REGISTER_MAPS.values():
        blocks = plan_reads(register_map, register_map.quantities)
        covered = {quantity for block in blocks for quantity in block.quantities}
        assert covered == register_map.quantities
        for block in blocks:
            assert block.count <= register_map.max_registers
            if register_map.even_count:
                assert block.count % 2 == 0
            for boundary in register_map.boundaries:
                assert not block.address < boundary < block.address + block.count
            for quantity in block.quantities:
                register = register_map.registers[quantity]
                assert block.address <= register.address
                assert register.end <= block.address + block.count


def test_a_read_never_spans_a_block_boundary() -> None:
    """Inepro: one read from 0x502A across 0x502C timed out in the field."""
    pair = (Quantity.FREQUENCY, Quantity.CURRENT_L1)
    assert [(b.address, b.count) for b in plan_reads(INEPRO_3P, pair)] == [(0x5008, 6)]
    split = replace(INEPRO_3P, boundaries=(0x500A,))
    assert [(b.address, b.count) for b in plan_reads(split, pair)] == [(0x5008, 2), (0x500C, 2)]


def test_quantities_a_map_lacks_are_left_out() -> None:
    assert plan_reads(EASTRON_1P, (Quantity.VOLTAGE_L2, Quantity.POWER)) == (
        ReadBlock(Table.INPUT, 0x000C, 2, (Quantity.POWER,)),
    )
    assert plan_reads(EASTRON_1P, ()) == ()


def _best_by_search(register_map: RegisterMap, quantities: list[Quantity]) -> float:
    """The cheapest plan found by trying every split of the sorted values into runs."""
    ordered = sorted(quantities, key=lambda q: register_map.registers[q].address)
    best = float("inf")
    for splits in range(len(ordered)):
        for cut in combinations(range(1, len(ordered)), splits):
            bounds = [0, *cut, len(ordered)]
            cost = 0.0
            for start, end in pairwise(bounds):
                first = register_map.registers[ordered[start]].address
                last = max(register_map.registers[q].end for q in ordered[start:end])
                count = last - first + (register_map.even_count and (last - first) % 2)
                if count > register_map.max_registers or any(
                    first < b < first + count for b in register_map.boundaries
                ):
                    cost = float("inf")
                    break
                cost += request_cost(count)
            best = min(best, cost)
    return best


@pytest.mark.parametrize("register_map", REGISTER_MAPS.values(), ids=lambda m: m.family)
def test_plans_are_as_cheap_as_an_exhaustive_search(register_map: RegisterMap) -> None:
    rng = random.Random(f"{register_map.family}")  # noqa: S311 -- a repeatable sample
    quantities = sorted(register_map.quantities)
    for _ in range(25):
        chosen = rng.sample(quantities, rng.randint(1, min(9, len(quantities))))
        assert _cost(plan_reads(register_map, chosen)) == _best_by_search(register_map, chosen)


def test_one_request_per_value_reads_each_value_alone() -> None:
    blocks = plan_one_request_per_value(EASTRON_3P, DEFAULT)
    assert [(block.address, block.count) for block in blocks] == [
        (0x0034, 2),
        (0x0048, 2),
        (0x004A, 2),
    ]
    assert _cost(plan_reads(EASTRON_3P, DEFAULT)) < _cost(blocks)
