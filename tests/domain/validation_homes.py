"""Homes to validate: a complete, valid one per season, and meters to change it with."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from custom_components.benext.domain.hub_status import BusCondition
from custom_components.benext.domain.roles import KWH_METER_ROLES, Role
from custom_components.benext.domain.validation.findings import Finding
from custom_components.benext.domain.validation.snapshot import (
    BusSnapshot,
    Counted,
    HomeSnapshot,
    MeterSnapshot,
    ScanHit,
)

WINTER_START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SUMMER_START = datetime(2026, 7, 6, 8, 0, tzinfo=UTC)
ALL_UP = (
    BusSnapshot("p1", BusCondition.UP),
    BusSnapshot("modbus", BusCondition.UP),
    BusSnapshot("wmbus", BusCondition.UP),
)


def bus_of(role: Role) -> str:
    """The bus a meter of this role sits on in these homes."""
    if role is Role.GRID:
        return "p1"
    return "modbus" if role in KWH_METER_ROLES else "wmbus"


def meter(
    meter_id: str,
    role: Role,
    day_1: float | Counted | None = None,
    day_10: float | Counted | None = None,
    **changes: Any,
) -> MeterSnapshot:
    """A reachable, reporting meter that counted `day_1` and `day_10` by those days."""
    built = MeterSnapshot(
        meter_id,
        role,
        bus_of(role),
        counted_day_1=_counted(day_1),
        counted_day_10=_counted(day_10),
    )
    return replace(built, **changes)


def _counted(amount: float | Counted | None) -> Counted | None:
    if amount is None or isinstance(amount, Counted):
        return amount
    return Counted(amount)


def valid_meters(summer: bool = False) -> dict[Role, MeterSnapshot]:
    """One meter per NOM role, every amount inside BeNext's bandwidths for the season."""
    return {
        Role.GRID: meter("grid", Role.GRID, counted=Counted(150.0, 5.0)),
        Role.PV: meter(
            "pv",
            Role.PV,
            day_1=Counted(5.0, 0.02) if summer else Counted(2.0, 0.02),
            day_10=Counted(50.0, 0.2) if summer else Counted(8.0, 0.2),
            counted=Counted(8.0, 0.2),
            night_production=0.0,
        ),
        Role.HEAT_PUMP: meter(
            "heat_pump",
            Role.HEAT_PUMP,
            day_1=1.0 if summer else 8.0,
            day_10=8.0 if summer else 70.0,
            counted=Counted(75.0),
        ),
        Role.VENTILATION: meter(
            "ventilation", Role.VENTILATION, day_1=1.0, day_10=10.0, counted=Counted(11.0)
        ),
        Role.SPACE_HEATING: meter("space_heating", Role.SPACE_HEATING, day_1=1.0, day_10=5.0),
        Role.HOT_TAP_WATER: meter("hot_tap_water", Role.HOT_TAP_WATER, day_1=0.05, day_10=0.3),
        Role.INDOOR_CLIMATE: meter("living_room", Role.INDOOR_CLIMATE, temperature=20.5),
    }


def home(
    *meters: MeterSnapshot,
    start: datetime = WINTER_START,
    day: float = 11,
    buses: tuple[BusSnapshot, ...] = ALL_UP,
    scan: tuple[ScanHit, ...] = (),
) -> HomeSnapshot:
    """A home with these meters, `day` days after its validation start."""
    return HomeSnapshot(buses, meters, start, start + timedelta(days=day), scan)


def valid_home(
    *extra: MeterSnapshot, summer: bool = False, day: float = 11, **roles: MeterSnapshot
) -> HomeSnapshot:
    """The valid home, with meters replaced by role name (`heat_pump=...`) and extra meters."""
    meters = valid_meters(summer)
    for role, replacement in roles.items():
        meters[Role(role)] = replacement
    return home(*meters.values(), *extra, start=SUMMER_START if summer else WINTER_START, day=day)


def codes(findings: list[Finding] | tuple[Finding, ...]) -> list[str]:
    """The findings' codes, in order."""
    return [found.code.value for found in findings]
