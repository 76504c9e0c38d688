"""The derived energy totals, accumulated from the increments of the meters' totals.

Each input is a total in kWh (an entity's state). The ledger moves only while every input
has a value: with one missing it pauses, keeping the values it last counted from; when the
input is back, the increments of all inputs since the pause are counted at once. Each of
them covers the same interval, so the sum is complete: the gap is neither dropped nor
counted as part of a sum. An input that went backwards (a replaced or reset meter) makes
the ledger start counting afresh from the new values, without counting that interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..validation.household import household_consumption


class Term(StrEnum):
    """What an input total counts in the household's sum."""

    GRID_IMPORT = "grid_import"
    GRID_EXPORT = "grid_export"
    PV = "pv"
    HEAT_PUMP = "heat_pump"
    VENTILATION = "ventilation"
    AUXILIARY = "auxiliary"


BUILDING_TERMS = frozenset({Term.HEAT_PUMP, Term.VENTILATION, Term.AUXILIARY})


@dataclass(slots=True)
class Ledger:
    """The running totals in kWh, and the input values they were last counted from.

    `household` is the signed sum of the household's increments: read at slightly
    different moments the meters can make it dip. `household_shown` is what the total
    sensor shows: the highest the sum reached, so that it never decreases. The same holds
    for the year's household consumption (the EPV budget used).
    """

    year: int
    baselines: dict[str, float] = field(default_factory=dict)
    household: float = 0.0
    household_shown: float = 0.0
    building: float = 0.0
    year_import: float = 0.0
    year_export: float = 0.0
    year_household: float = 0.0
    year_household_shown: float = 0.0

    @property
    def nom_balance(self) -> float:
        """Net grid energy this year: import - export."""
        return self.year_import - self.year_export

    def start_year(self, year: int) -> bool:
        """Start counting the year's figures afresh when `year` is a new one; whether it was."""
        if year == self.year:
            return False
        self.year = year
        self.year_import = self.year_export = 0.0
        self.year_household = self.year_household_shown = 0.0
        return True

    def count(self, readings: Mapping[str, float | None], terms: Mapping[str, Term]) -> bool:
        """Count the increments since the last count; whether any total moved.

        `readings` holds each input's total by entity id (None when it has no value),
        `terms` what each input counts.
        """
        values: dict[str, float] = {}
        for entity_id in terms:
            value = readings.get(entity_id)
            if value is None:
                return False  # paused: an input is missing
            values[entity_id] = value
        baselines = self.baselines
        if baselines.keys() != values.keys():
            self.baselines = values  # the first values, or the inputs changed
            return False
        increments = {entity_id: values[entity_id] - baselines[entity_id] for entity_id in values}
        self.baselines = values
        if any(increment < 0 for increment in increments.values()):
            return False  # a meter went backwards: count afresh from here
        by_term = dict.fromkeys(Term, 0.0)
        for entity_id, increment in increments.items():
            by_term[terms[entity_id]] += increment
        if not any(by_term.values()):
            return False
        household = household_consumption(
            grid_import=by_term[Term.GRID_IMPORT],
            grid_export=by_term[Term.GRID_EXPORT],
            pv_production=by_term[Term.PV],
            heat_pump=by_term[Term.HEAT_PUMP],
            ventilation=by_term[Term.VENTILATION],
            auxiliary=by_term[Term.AUXILIARY],
        )
        self.household += household
        self.household_shown = max(self.household_shown, self.household)
        self.building += sum(by_term[term] for term in BUILDING_TERMS)
        self.year_import += by_term[Term.GRID_IMPORT]
        self.year_export += by_term[Term.GRID_EXPORT]
        self.year_household += household
        self.year_household_shown = max(self.year_household_shown, self.year_household)
        return True

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "year": self.year,
            "baselines": dict(self.baselines),
            "household": self.household,
            "household_shown": self.household_shown,
            "building": self.building,
            "year_import": self.year_import,
            "year_export": self.year_export,
            "year_household": self.year_household,
            "year_household_shown": self.year_household_shown,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ledger:
        """Read the stored form."""
        return cls(
            year=int(data["year"]),
            baselines={str(key): float(value) for key, value in data["baselines"].items()},
            household=float(data["household"]),
            household_shown=float(data["household_shown"]),
            building=float(data["building"]),
            year_import=float(data["year_import"]),
            year_export=float(data["year_export"]),
            year_household=float(data["year_household"]),
            year_household_shown=float(data["year_household_shown"]),
        )
