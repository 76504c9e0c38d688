"""Which meters' totals make the home's derived energy, as the buses name them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from .domain.energy.ledger import BUILDING_TERMS, Term
from .domain.roles import Role
from .meter_buses import loaded_meters
from .runtime import BeNextConfigEntry

# What each role's counted amount is in the household's sum; the grid's opposite is its export.
AMOUNT_TERMS: Final = {
    Role.GRID: Term.GRID_IMPORT,
    Role.PV: Term.PV,
    Role.HEAT_PUMP: Term.HEAT_PUMP,
    Role.VENTILATION: Term.VENTILATION,
    Role.AUXILIARY: Term.AUXILIARY,
}


@dataclass(frozen=True, slots=True)
class DerivedInputs:
    """The terms the installation's meters fill, and each input total's entity id and term.

    `terms` follows the meters' roles (known at set-up); `entities` the sensors that exist
    now, which a bus may add later (a kWh meter of unknown model once it is probed).
    """

    terms: frozenset[Term]
    entities: dict[str, Term]
    # The meters (subentry ids) whose totals are not there yet.
    unresolved: tuple[str, ...]

    @property
    def has_grid(self) -> bool:
        """Whether a smart meter gives the grid's import and export."""
        return Term.GRID_IMPORT in self.terms

    @property
    def has_building(self) -> bool:
        """Whether a heat pump, ventilation or auxiliary meter exists."""
        return not self.terms.isdisjoint(BUILDING_TERMS)

    @property
    def complete(self) -> bool:
        """Whether every meter's totals are known."""
        return not self.unresolved


def derived_inputs(entry: BeNextConfigEntry) -> DerivedInputs:
    """The installation's inputs as its buses give them now."""
    terms: set[Term] = set()
    entities: dict[str, Term] = {}
    unresolved: list[str] = []
    for subentry, meter_bus, _coordinator in loaded_meters(entry):
        term = AMOUNT_TERMS.get(meter_bus.meter_role(subentry))
        if term is None:
            continue
        terms.add(term)
        if term is Term.GRID_IMPORT:
            terms.add(Term.GRID_EXPORT)
        statistics = meter_bus.counted_statistics(entry, subentry)
        if statistics is None:
            unresolved.append(subentry.subentry_id)
            continue
        _add(entities, statistics.amount, term)
        if term is Term.GRID_IMPORT:
            _add(entities, statistics.opposite, Term.GRID_EXPORT)
    return DerivedInputs(frozenset(terms), entities, tuple(unresolved))


def _add(entities: dict[str, Term], entity_ids: Iterable[str], term: Term) -> None:
    for entity_id in entity_ids:
        entities[entity_id] = term


def missing_inputs(inputs: DerivedInputs) -> dict[str, list[str]]:
    """For each derived sensor family that is not created, the roles it lacks.

    Under `paused_by`, the meters (subentry ids) whose total sensors are missing or
    disabled: the derived totals pause until they are there.
    """
    missing: dict[str, list[str]] = {}
    if inputs.unresolved:
        missing["paused_by"] = list(inputs.unresolved)
    if not inputs.has_grid:
        for family in ("household", "nom", "epv"):
            missing[family] = [Role.GRID.value]
    if not inputs.has_building:
        missing["building"] = [Role.HEAT_PUMP.value, Role.VENTILATION.value, Role.AUXILIARY.value]
    return missing
