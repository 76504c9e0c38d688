"""Check 2, values forwarded: the meters the manual names all report values."""

from __future__ import annotations

from typing import Final

from ..hub_status import BusCondition
from ..product_status import ProductStatus
from ..roles import Role
from .findings import Finding, FindingCode, finding
from .snapshot import HomeSnapshot, MeterSnapshot

# PV, heat pump, ventilation and extra kWh meters, the space heating and hot tap water heat
# meters, and the indoor temperature sensor.
FORWARDED_ROLES: Final = frozenset(
    {
        Role.PV,
        Role.HEAT_PUMP,
        Role.VENTILATION,
        Role.AUXILIARY,
        Role.SPACE_HEATING,
        Role.HOT_TAP_WATER,
        Role.INDOOR_CLIMATE,
    }
)

_CODES: Final = {
    ProductStatus.NO_DATA: FindingCode.VALUES_NOT_FORWARDED,
    ProductStatus.READS_ZERO: FindingCode.VALUES_READ_ZERO,
}


def _judged(home: HomeSnapshot, meter: MeterSnapshot) -> bool:
    """Whether a meter's values are this check's to judge: no cause upstream explains them.

    A bus that does not answer, a meter that does not, or a wrong key each has its own
    finding.
    """
    return (
        meter.role in FORWARDED_ROLES
        and home.bus_condition(meter.bus) is BusCondition.UP
        and meter.reachable
        and not meter.wrong_key
    )


def check_forwarded(home: HomeSnapshot) -> list[Finding]:
    """A finding per meter with no data, or whose values all read 0."""
    return [
        finding(_CODES[meter.status], meter.meter_id, role=meter.role)
        for meter in home.meters
        if meter.status in _CODES and _judged(home, meter)
    ]


def forwarded_pending(home: HomeSnapshot) -> bool:
    """Whether a meter of these roles sits on a bus not heard from yet."""
    return any(
        meter.role in FORWARDED_ROLES and home.bus_condition(meter.bus) is BusCondition.WAITING
        for meter in home.meters
    )
