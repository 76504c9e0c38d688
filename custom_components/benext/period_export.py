"""The `benext.export_period` action: what each meter counted in a period, as a CSV file.

The figures are the Energy dashboard's for the same period (the recorder's hourly
statistics, `period_statistics.py`); the file is written under the configuration folder,
in the executor.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from homeassistant.const import ATTR_CONFIG_ENTRY_ID
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util, slugify
import probatio

from .const import DOMAIN
from .domain.period.bounds import PeriodError, period_bounds
from .domain.period.gaps import missing_hours
from .domain.period.report import PeriodReport, csv_rows, rounded
from .period_statistics import async_period_report, meters_to_report
from .runtime import BeNextConfigEntry

SERVICE_EXPORT_PERIOD: Final = "export_period"
ATTR_START: Final = "start"
ATTR_END: Final = "end"
ATTR_NAME: Final = "name"
# The folder under the configuration folder that holds the exported files.
EXPORT_FOLDER: Final = DOMAIN
RECORDER: Final = "recorder"


def date_or_datetime(value: Any) -> date | datetime:
    """A date ("2026-01-31": the whole day) or a date and time ("2026-01-31 06:00")."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and (day := dt_util.parse_date(value)) is not None:
        return day
    return cv.datetime(value)


EXPORT_PERIOD_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_START): date_or_datetime,
        probatio.Required(ATTR_END): date_or_datetime,
        probatio.Optional(ATTR_NAME): cv.string,
    }
)


async def async_export_period(
    hass: HomeAssistant,
    entry: BeNextConfigEntry,
    start: date | datetime,
    end: date | datetime,
    name: str | None,
) -> ServiceResponse:
    """Report the installation's meters from `start` to `end`, write it, and return it."""
    try:
        first, last = period_bounds(start, end, dt_util.get_default_time_zone(), dt_util.now())
    except PeriodError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=err.problem.value,
            translation_placeholders={"start": _shown(start), "end": _shown(end)},
        ) from err
    if RECORDER not in hass.config.components:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_recorder")
    report = await async_period_report(
        hass, entry.title, meters_to_report(hass, entry), first, last
    )
    stem = slugify(name) if name else slugify(f"{entry.title} {_shown(start)} {_shown(end)}")
    path = Path(hass.config.path(EXPORT_FOLDER, f"{stem}.csv"))
    await hass.async_add_executor_job(_write_csv, path, report)
    return period_response(report, path)


def _shown(value: date | datetime) -> str:
    """A date or time as the user gave it, for a message or a file name."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return value.isoformat()


def _write_csv(path: Path, report: PeriodReport) -> None:
    """Write the report's rows; runs in the executor."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(csv_rows(report))


def period_response(report: PeriodReport, path: Path) -> dict[str, Any]:
    """The report as the action returns it, with the file it was written to."""
    return {
        "installation": report.installation,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "file": str(path),
        "meters": [
            {
                "meter": meter.meter,
                "role": meter.role,
                "totals": [
                    {
                        "entity_id": total.statistic_id,
                        "name": total.name,
                        "unit": total.unit,
                        "reading_start": rounded(total.figures.reading_start),
                        "reading_end": rounded(total.figures.reading_end),
                        "consumption": rounded(total.figures.consumption),
                        "missing_hours": missing_hours(total.figures.gaps),
                        "gaps": [
                            {"start": gap.start.isoformat(), "end": gap.end.isoformat()}
                            for gap in total.figures.gaps
                        ],
                    }
                    for total in meter.totals
                ],
            }
            for meter in report.meters
        ],
    }
