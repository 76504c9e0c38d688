"""Which of an installation's statistics are which of the Energy dashboard's sources."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum


class SourceKind(StrEnum):
    """A place in the Energy dashboard a statistic can take (a response's keys: promises)."""

    GRID_IMPORT = "grid_import"
    GRID_EXPORT = "grid_export"
    SOLAR = "solar"
    GAS = "gas"
    WATER = "water"
    DEVICE = "device"


@dataclass(frozen=True, slots=True)
class EnergySources:
    """Statistic ids (entity ids) by the source they are; the grid's per tariff, in order.

    `grid_import[n]` and `grid_export[n]` are the same tariff's totals: the dashboard pairs
    them into one grid connection.
    """

    grid_import: tuple[str, ...] = ()
    grid_export: tuple[str, ...] = ()
    solar: tuple[str, ...] = ()
    gas: tuple[str, ...] = ()
    water: tuple[str, ...] = ()
    device: tuple[str, ...] = ()

    def __add__(self, other: EnergySources) -> EnergySources:
        """Both meters' sources, this one's first."""
        return EnergySources(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(EnergySources))
        )

    def by_kind(self) -> tuple[tuple[SourceKind, str], ...]:
        """Every statistic with its kind, in the order the dashboard lists them."""
        return tuple(
            (SourceKind(f.name), statistic_id)
            for f in fields(EnergySources)
            for statistic_id in getattr(self, f.name)
        )


def sources_of(kind: SourceKind | None, statistic_ids: Iterable[str]) -> EnergySources:
    """Statistics that are all one kind of source; none for a meter that is no source."""
    if kind is None:
        return EnergySources()
    return EnergySources(**{kind.value: tuple(statistic_ids)})
