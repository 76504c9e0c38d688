"""The installation's overall status, as the Status LED of the BeNext gateway shows it."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class BusCondition(StrEnum):
    """Where one bus stands."""

    UP = "up"
    # Not heard yet since the start, and not late yet: wireless meters may take minutes to
    # send, and a bus without meters has nothing to send.
    WAITING = "waiting"
    DOWN = "down"


class HubStatus(StrEnum):
    """Overall status of an installation from the state of its buses."""

    OK = "ok"
    # No bus is down, but one has not delivered since the start.
    WAITING = "waiting"
    # Some bus is down: its meters send nothing.
    DEGRADED = "degraded"
    # No bus can be reached.
    OFFLINE = "offline"


def hub_status(buses: Iterable[BusCondition]) -> HubStatus:
    """The overall status for the configured buses' conditions."""
    conditions = set(buses)
    if BusCondition.DOWN not in conditions:
        if BusCondition.WAITING in conditions:
            return HubStatus.WAITING
        return HubStatus.OK if conditions else HubStatus.OFFLINE
    if conditions == {BusCondition.DOWN}:
        return HubStatus.OFFLINE
    return HubStatus.DEGRADED
