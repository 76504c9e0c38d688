"""BeNext's verdict per category and overall, and the installation's validation date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from .findings import Category, Finding

# BeNext signs an installation off on two weeks of data.
REQUIRED_UNINTERRUPTED_DATA: Final = timedelta(days=14)


class Verdict(StrEnum):
    """Where a category (or the whole installation) stands."""

    PASSED = "passed"
    # Nothing found, but not everything can be judged yet (a bus not heard from, day 10).
    PENDING = "pending"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Validation:
    """The findings of one validation, and the categories it could not judge fully."""

    findings: tuple[Finding, ...]
    pending: frozenset[Category] = frozenset()

    def verdict(self, category: Category) -> Verdict:
        """Failed with a finding; else pending while not everything could be judged."""
        if any(found.category is category for found in self.findings):
            return Verdict.FAILED
        return Verdict.PENDING if category in self.pending else Verdict.PASSED

    @property
    def verdicts(self) -> dict[Category, Verdict]:
        """The verdict of every category."""
        return {category: self.verdict(category) for category in Category}

    @property
    def overall(self) -> Verdict:
        """Failed if a category failed, pending if one is pending, else passed."""
        verdicts = set(self.verdicts.values())
        for verdict in (Verdict.FAILED, Verdict.PENDING):
            if verdict in verdicts:
                return verdict
        return Verdict.PASSED


def passing_since(previous: datetime | None, overall: Verdict, now: datetime) -> datetime | None:
    """Since when every check has passed without a break, after a validation at `now`."""
    if overall is not Verdict.PASSED:
        return None
    return now if previous is None else previous


def validation_date(
    passing_since: datetime | None, uninterrupted_since: datetime | None, now: datetime
) -> datetime | None:
    """The moment from which every check has passed on at least 14 days of uninterrupted data.

    `passing_since` is since when every check has passed without a break; the data has run
    without a gap since `uninterrupted_since`. None while either is missing or the moment is
    still to come.
    """
    if passing_since is None or uninterrupted_since is None:
        return None
    moment = max(passing_since, uninterrupted_since + REQUIRED_UNINTERRUPTED_DATA)
    return moment if moment <= now else None
