"""Where a meter's role puts its total in the Energy dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..roles import Role
from .sources import SourceKind

# The grid is two sources per tariff (its bus names them); space heating's volume circulates
# in the heating circuit and is no household water; a room sensor and an allocator count no
# energy or water.
ROLE_SOURCES: Mapping[Role, SourceKind] = MappingProxyType(
    {
        Role.PV: SourceKind.SOLAR,
        Role.HEAT_PUMP: SourceKind.DEVICE,
        Role.VENTILATION: SourceKind.DEVICE,
        Role.AUXILIARY: SourceKind.DEVICE,
        Role.COLD_WATER: SourceKind.WATER,
        Role.HOT_TAP_WATER: SourceKind.WATER,
    }
)


def source_kind(role: Role) -> SourceKind | None:
    """The kind of source a meter of this role is; None when its total is none."""
    return ROLE_SOURCES.get(role)
