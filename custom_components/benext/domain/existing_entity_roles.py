"""The roles an entity of another integration can fill, by the device class of its sensor.

Device classes are Home Assistant's sensor device class values, taken as plain strings
because the domain layer does not import Home Assistant.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .roles import KWH_METER_ROLES, Role

# What a home's water meters measure; a heat meter's volume is space heating.
_VOLUME_ROLES = (Role.HOT_TAP_WATER, Role.SPACE_HEATING, Role.COLD_WATER)

# No grid: the grid is the smart meter's, whose import and export one sensor cannot be.
# No radiator: a heat cost allocator counts units, which no device class describes.
ROLES_BY_DEVICE_CLASS: Mapping[str, tuple[Role, ...]] = MappingProxyType(
    {
        "energy": KWH_METER_ROLES,
        "volume": _VOLUME_ROLES,
        "water": _VOLUME_ROLES,
        "temperature": (Role.INDOOR_CLIMATE,),
        "carbon_dioxide": (Role.INDOOR_CLIMATE,),
    }
)

# Every role an existing entity can fill, in the order of the roles.
EXISTING_ENTITY_ROLES: tuple[Role, ...] = tuple(
    role for role in Role if any(role in roles for roles in ROLES_BY_DEVICE_CLASS.values())
)

# The roles whose entity counts what the validation sums (kWh, m3); a room sensor does not.
COUNTING_ROLES: frozenset[Role] = frozenset(KWH_METER_ROLES + _VOLUME_ROLES)


def roles_for_device_class(device_class: str | None) -> tuple[Role, ...]:
    """The roles a sensor of this device class can fill, most likely first; none if unknown."""
    if device_class is None:
        return ()
    return ROLES_BY_DEVICE_CLASS.get(device_class, ())
