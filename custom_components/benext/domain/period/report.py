"""A period report: every meter's totals with their figures, and its rows as a CSV file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from .figures import Figures
from .gaps import missing_hours

CSV_HEADER: Final = (
    "meter",
    "role",
    "sensor",
    "name",
    "unit",
    "period_start",
    "period_end",
    "reading_start",
    "reading_end",
    "consumption",
    "missing_hours",
    "gaps",
)
# Decimals kept of a reading or consumption: beyond a meter's resolution, within a float's.
DECIMALS: Final = 6


@dataclass(frozen=True, slots=True)
class TotalReport:
    """One total sensor of a meter (its statistic) and its figures for the period."""

    statistic_id: str
    name: str
    unit: str | None
    figures: Figures


@dataclass(frozen=True, slots=True)
class MeterReport:
    """One meter of the installation and its totals."""

    meter: str
    role: str
    totals: tuple[TotalReport, ...]


@dataclass(frozen=True, slots=True)
class PeriodReport:
    """What an installation's meters counted from `start` to `end`."""

    installation: str
    start: datetime
    end: datetime
    meters: tuple[MeterReport, ...]


def rounded(value: float | None) -> float | None:
    """A figure as reported: sums of floats lose their last bits of noise."""
    return None if value is None else round(value, DECIMALS) + 0.0


def gap_text(total: TotalReport) -> str:
    """A total's gaps as ISO 8601 intervals (start/end), separated by "; "."""
    return "; ".join(
        f"{gap.start.isoformat(timespec='minutes')}/{gap.end.isoformat(timespec='minutes')}"
        for gap in total.figures.gaps
    )


def csv_rows(report: PeriodReport) -> list[tuple[str, ...]]:
    """The report as CSV rows, header first: one row per total, an empty cell when unknown."""
    start = report.start.isoformat(timespec="minutes")
    end = report.end.isoformat(timespec="minutes")

    def cell(value: float | None) -> str:
        figure = rounded(value)
        return "" if figure is None else repr(figure)

    rows: list[tuple[str, ...]] = [CSV_HEADER]
    for meter in report.meters:
        for total in meter.totals:
            figures = total.figures
            rows.append(
                (
                    meter.meter,
                    meter.role,
                    total.statistic_id,
                    total.name,
                    total.unit or "",
                    start,
                    end,
                    cell(figures.reading_start),
                    cell(figures.reading_end),
                    cell(figures.consumption),
                    str(missing_hours(figures.gaps)),
                    gap_text(total),
                )
            )
    return rows
