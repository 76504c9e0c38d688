"""The roles a wireless M-Bus meter can fill, by the kind of meter its driver reads.

The kind is the value of the bus layer's MeterKind ("heat", "water", "room", "heat_cost",
"other"), taken as a plain string because the domain layer does not import the buses.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .roles import Role

WMBUS_ROLES: tuple[Role, ...] = (
    Role.SPACE_HEATING,
    Role.HOT_TAP_WATER,
    Role.COLD_WATER,
    Role.INDOOR_CLIMATE,
    Role.RADIATOR,
)

# A heat meter may sit on the hot tap water line; a water meter may measure hot tap water.
ROLES_BY_METER_KIND: Mapping[str, tuple[Role, ...]] = MappingProxyType(
    {
        "heat": (Role.SPACE_HEATING, Role.HOT_TAP_WATER),
        "water": (Role.COLD_WATER, Role.HOT_TAP_WATER),
        "room": (Role.INDOOR_CLIMATE,),
        "heat_cost": (Role.RADIATOR,),
    }
)


def roles_for_meter_kind(kind: str) -> tuple[Role, ...]:
    """The roles a meter of this kind can fill, most likely first; any wM-Bus role if unknown."""
    return ROLES_BY_METER_KIND.get(kind, WMBUS_ROLES)
