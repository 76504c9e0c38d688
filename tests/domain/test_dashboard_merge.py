"""Adding an installation's sources to the Energy dashboard: never a duplicate, never a removal."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.benext.domain.dashboard.merge import (
    merged,
    plan_additions,
    used_statistics,
)
from custom_components.benext.domain.dashboard.sources import EnergySources, SourceKind
from tests.dashboard_helpers import grid

HOME = EnergySources(
    grid_import=("sensor.import_t1", "sensor.import_t2"),
    grid_export=("sensor.export_t1", "sensor.export_t2"),
    solar=("sensor.pv_production",),
    gas=("sensor.gas",),
    water=("sensor.cold_water", "sensor.hot_tap_water"),
    device=("sensor.heat_pump", "sensor.ventilation"),
)


def metered(kind: str, statistic_id: str) -> dict[str, Any]:
    return {
        "type": kind,
        "stat_energy_from": statistic_id,
        "stat_cost": None,
        "entity_energy_price": None,
        "number_energy_price": None,
    }


def test_empty_dashboard_gets_every_source() -> None:
    plan = plan_additions(HOME, None)

    assert plan.skipped == ()
    assert merged(None, plan) == {
        "energy_sources": [
            grid("sensor.import_t1", "sensor.export_t1"),
            grid("sensor.import_t2", "sensor.export_t2"),
            {
                "type": "solar",
                "stat_energy_from": "sensor.pv_production",
                "config_entry_solar_forecast": None,
            },
            metered("gas", "sensor.gas"),
            metered("water", "sensor.cold_water"),
            metered("water", "sensor.hot_tap_water"),
        ],
        "device_consumption": [
            {"stat_consumption": "sensor.heat_pump"},
            {"stat_consumption": "sensor.ventilation"},
        ],
    }


def test_a_tariff_already_there_is_skipped_and_its_pair_completed() -> None:
    """Tariff 1's import is configured, with someone else's export: only the rest is added."""
    mine = {**grid("sensor.import_t1", "sensor.other_export"), "number_energy_price": 0.3}
    preferences = {"energy_sources": [mine], "device_consumption": []}

    plan = plan_additions(HOME, preferences)
    result = merged(preferences, plan)

    assert [p.statistic_id for p in plan.skipped] == ["sensor.import_t1"]
    assert result["energy_sources"][:3] == [
        mine,
        grid(None, "sensor.export_t1"),
        grid("sensor.import_t2", "sensor.export_t2"),
    ]


def test_a_statistic_used_as_another_source_is_not_added_again() -> None:
    """The heat pump's meter is the user's solar source (oddly): it stays only there."""
    preferences = {
        "energy_sources": [{"type": "solar", "stat_energy_from": "sensor.heat_pump"}],
        "device_consumption": [{"stat_consumption": "sensor.gas", "stat_rate": "sensor.w"}],
    }

    plan = plan_additions(HOME, preferences)

    assert {(p.kind, p.statistic_id) for p in plan.skipped} == {
        (SourceKind.DEVICE, "sensor.heat_pump"),
        (SourceKind.GAS, "sensor.gas"),
    }
    assert merged(preferences, plan)["device_consumption"] == [
        {"stat_consumption": "sensor.gas", "stat_rate": "sensor.w"},
        {"stat_consumption": "sensor.ventilation"},
    ]


def test_the_older_grid_shape_gets_its_tariffs_appended() -> None:
    """A grid source with flow_from/flow_to lists keeps its shape and gains the new tariffs."""
    legacy = {
        "type": "grid",
        "flow_from": [{"stat_energy_from": "sensor.import_t1", "stat_cost": None}],
        "flow_to": [],
        "cost_adjustment_day": 0.0,
    }
    preferences = {"energy_sources": [legacy], "device_consumption": []}

    sources = merged(preferences, plan_additions(HOME, preferences))["energy_sources"]

    grids = [s for s in sources if s["type"] == "grid"]
    assert len(grids) == 1
    assert [f["stat_energy_from"] for f in grids[0]["flow_from"]] == [
        "sensor.import_t1",
        "sensor.import_t2",
    ]
    assert [f["stat_energy_to"] for f in grids[0]["flow_to"]] == [
        "sensor.export_t1",
        "sensor.export_t2",
    ]


def test_everything_configured_plans_nothing() -> None:
    preferences = merged(None, plan_additions(HOME, None))

    plan = plan_additions(HOME, preferences)

    assert plan.is_empty
    assert merged(preferences, plan) == preferences


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (EnergySources(), []),
        (EnergySources(grid_import=("sensor.i",)), [grid("sensor.i", None)]),
        (EnergySources(grid_export=("sensor.e",)), [grid(None, "sensor.e")]),
        (EnergySources(gas=("sensor.g", "sensor.g")), [metered("gas", "sensor.g")]),
    ],
)
def test_small_homes(sources: EnergySources, expected: list[dict[str, Any]]) -> None:
    assert merged(None, plan_additions(sources, None))["energy_sources"] == expected


STATISTICS = st.sampled_from([f"sensor.s{n}" for n in range(8)])
TUPLES = st.lists(STATISTICS, max_size=4).map(tuple)
HOMES = st.builds(
    EnergySources,
    grid_import=TUPLES,
    grid_export=TUPLES,
    solar=TUPLES,
    gas=TUPLES,
    water=TUPLES,
    device=TUPLES,
)


def all_statistics(preferences: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every statistic the preferences use, once per use."""
    found: list[str] = []
    for entry in [*preferences["energy_sources"], *preferences["device_consumption"]]:
        for key, value in entry.items():
            if key.startswith("stat_") and isinstance(value, str):
                found.append(value)
            if key in ("flow_from", "flow_to"):
                found += [v for flow in value for k, v in flow.items() if k.startswith("stat_")]
    return found


@given(first=HOMES, second=HOMES)
def test_merging_never_duplicates_nor_removes(first: EnergySources, second: EnergySources) -> None:
    """Whatever the dashboard holds (here: another home's sources), merging only appends."""
    before = merged(None, plan_additions(first, None))

    after = merged(before, plan_additions(second, before))

    assert after["energy_sources"][: len(before["energy_sources"])] == before["energy_sources"]
    assert (
        after["device_consumption"][: len(before["device_consumption"])]
        == (before["device_consumption"])
    )
    assert max(Counter(all_statistics(after)).values(), default=1) == 1
    offered = {statistic_id for _, statistic_id in second.by_kind()}
    assert offered <= used_statistics(after)
    assert plan_additions(second, after).is_empty
