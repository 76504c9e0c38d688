"""What to add to the Energy dashboard's preferences: never a duplicate, never a removal.

The preferences are Home Assistant's energy preferences as plain data (`energy_sources`,
`device_consumption`). A statistic already used anywhere in them is skipped, whatever
the source that uses it. The grid is written the way the preferences already hold it:
one connection per tariff (an import and export pair), or, in the older shape, the
tariffs appended to the one grid source's `flow_from` and `flow_to`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from .sources import EnergySources, SourceKind

ENERGY_SOURCES: Final = "energy_sources"
DEVICE_CONSUMPTION: Final = "device_consumption"
# The older grid source's lists of tariffs.
FLOW_FROM: Final = "flow_from"
FLOW_TO: Final = "flow_to"

type Preferences = Mapping[str, Any]
type Source = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Planned:
    """One statistic and the place it takes (or would have taken) in the dashboard."""

    kind: SourceKind
    statistic_id: str


@dataclass(frozen=True, slots=True)
class EnergyPlan:
    """What adding an installation's sources to the preferences adds, and what it skips.

    `grid` pairs each tariff's import and export still to add (None where that side is
    already used, or the meter has none).
    """

    added: tuple[Planned, ...]
    skipped: tuple[Planned, ...]
    grid: tuple[tuple[str | None, str | None], ...]

    @property
    def is_empty(self) -> bool:
        """Nothing left to add: every source is configured already."""
        return not self.added

    def added_of(self, kind: SourceKind) -> tuple[str, ...]:
        """The statistics of one kind that are added."""
        return tuple(p.statistic_id for p in self.added if p.kind is kind)


def used_statistics(preferences: Preferences | None) -> frozenset[str]:
    """Every statistic the preferences use, in any source, device or field (`stat_*`)."""
    return frozenset(_statistics(preferences or {}))


def _statistics(value: object) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and key.startswith("stat_") and isinstance(item, str):
                yield item
            else:
                yield from _statistics(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _statistics(item)


def plan_additions(sources: EnergySources, preferences: Preferences | None) -> EnergyPlan:
    """What of `sources` the preferences lack; a statistic offered twice counts once."""
    used = used_statistics(preferences)
    seen: set[str] = set()
    added: list[Planned] = []
    skipped: list[Planned] = []
    for kind, statistic_id in sources.by_kind():
        if statistic_id in seen:
            continue
        seen.add(statistic_id)
        (skipped if statistic_id in used else added).append(Planned(kind, statistic_id))
    # Each added grid statistic takes its first tariff's place, once.
    pending = {p.statistic_id for p in added}

    def fresh(tariffs: tuple[str, ...], n: int) -> str | None:
        if n >= len(tariffs) or tariffs[n] not in pending:
            return None
        pending.discard(tariffs[n])
        return tariffs[n]

    tariffs = max(len(sources.grid_import), len(sources.grid_export))
    pairs = ((fresh(sources.grid_import, n), fresh(sources.grid_export, n)) for n in range(tariffs))
    grid = tuple(pair for pair in pairs if pair != (None, None))
    return EnergyPlan(tuple(added), tuple(skipped), grid)


def merged(preferences: Preferences | None, plan: EnergyPlan) -> dict[str, list[Source]]:
    """The preferences' sources and devices with the plan's appended; nothing else changes."""
    existing = preferences or {}
    sources: list[Source] = [dict(source) for source in existing.get(ENERGY_SOURCES) or ()]
    devices: list[Source] = [dict(device) for device in existing.get(DEVICE_CONSUMPTION) or ()]
    legacy = next((s for s in sources if s.get("type") == "grid" and FLOW_FROM in s), None)
    if legacy is not None:
        legacy[FLOW_FROM] = [*legacy[FLOW_FROM], *(_flow_from(i) for i, _ in plan.grid if i)]
        legacy[FLOW_TO] = [*legacy.get(FLOW_TO, ()), *(_flow_to(e) for _, e in plan.grid if e)]
    else:
        sources += [_grid(imported, exported) for imported, exported in plan.grid]
    sources += [_solar(s) for s in plan.added_of(SourceKind.SOLAR)]
    sources += [_metered("gas", s) for s in plan.added_of(SourceKind.GAS)]
    sources += [_metered("water", s) for s in plan.added_of(SourceKind.WATER)]
    devices += [{"stat_consumption": s} for s in plan.added_of(SourceKind.DEVICE)]
    return {ENERGY_SOURCES: sources, DEVICE_CONSUMPTION: devices}


def _grid(imported: str | None, exported: str | None) -> Source:
    """One grid connection: a tariff's import and export, without prices."""
    return {
        "type": "grid",
        "stat_energy_from": imported,
        "stat_energy_to": exported,
        "stat_cost": None,
        "entity_energy_price": None,
        "number_energy_price": None,
        "stat_compensation": None,
        "entity_energy_price_export": None,
        "number_energy_price_export": None,
        "cost_adjustment_day": 0.0,
    }


def _flow_from(statistic_id: str) -> Source:
    return {
        "stat_energy_from": statistic_id,
        "stat_cost": None,
        "entity_energy_price": None,
        "number_energy_price": None,
    }


def _flow_to(statistic_id: str) -> Source:
    return {
        "stat_energy_to": statistic_id,
        "stat_compensation": None,
        "entity_energy_price": None,
        "number_energy_price": None,
    }


def _solar(statistic_id: str) -> Source:
    return {"type": "solar", "stat_energy_from": statistic_id, "config_entry_solar_forecast": None}


def _metered(kind: str, statistic_id: str) -> Source:
    """A gas or water source, without prices."""
    return {
        "type": kind,
        "stat_energy_from": statistic_id,
        "stat_cost": None,
        "entity_energy_price": None,
        "number_energy_price": None,
    }
