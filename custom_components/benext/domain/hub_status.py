"""The installation's overall status, as the Status LED of the BeNext gateway shows it."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class HubStatus(StrEnum):
    """Overall status of an installation from the state of its buses."""

    OK = "ok"
    # Some bus is down: its meters send nothing.
    DEGRADED = "degraded"
    # No bus can be reached.
    OFFLINE = "offline"


def hub_status(buses_online: Iterable[bool]) -> HubStatus:
    """The overall status for the configured buses' online flags."""
    online = list(buses_online)
    if online and all(online):
        return HubStatus.OK
    if any(online):
        return HubStatus.DEGRADED
    return HubStatus.OFFLINE
