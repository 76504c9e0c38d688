"""Check 1, reachability: each configured bus answers, and each product on it."""

from __future__ import annotations

from ..hub_status import BusCondition
from .findings import Finding, FindingCode, finding
from .modbus_address import misaddressed
from .snapshot import P1_BUS, HomeSnapshot

# A bus still waiting for its first telegram is not judged yet, nor are its meters.
_NOT_JUDGED = (BusCondition.DOWN, BusCondition.WAITING)


def check_reachability(home: HomeSnapshot) -> list[Finding]:
    """A finding per bus that does not answer, and per meter that does not on a bus that does.

    The meters of a bus that is down are not listed: the bus is the one cause. Nor is a
    Modbus meter found at another address (its own finding, with the fix).
    """
    findings = [
        finding(
            FindingCode.P1_NOT_ARRIVING if bus.bus == P1_BUS else FindingCode.BUS_OFFLINE,
            subject=bus.bus,
            bus=bus.bus,
        )
        for bus in home.buses
        if bus.condition is BusCondition.DOWN
    ]
    found_elsewhere = misaddressed(home)
    findings.extend(
        finding(FindingCode.METER_UNREACHABLE, meter.meter_id, bus=meter.bus)
        for meter in home.meters
        if not meter.reachable
        and home.bus_condition(meter.bus) not in _NOT_JUDGED
        and meter.meter_id not in found_elsewhere
    )
    return findings


def reachability_pending(home: HomeSnapshot) -> bool:
    """Whether a configured bus has not been heard from yet (and is not late either)."""
    return any(bus.condition is BusCondition.WAITING for bus in home.buses)
