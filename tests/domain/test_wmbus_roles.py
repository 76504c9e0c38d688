"""The roles a wireless M-Bus meter can fill, by the kind of meter."""

from __future__ import annotations

import pytest

from custom_components.benext.bus.wmbus.drivers import MeterKind
from custom_components.benext.domain.roles import Role
from custom_components.benext.domain.wmbus_roles import WMBUS_ROLES, roles_for_meter_kind


@pytest.mark.parametrize(
    ("kind", "roles"),
    [
        ("heat", (Role.SPACE_HEATING, Role.HOT_TAP_WATER)),
        ("water", (Role.COLD_WATER, Role.HOT_TAP_WATER)),
        ("room", (Role.INDOOR_CLIMATE,)),
        ("heat_cost", (Role.RADIATOR,)),
        ("other", WMBUS_ROLES),
        ("", WMBUS_ROLES),
    ],
)
def test_roles_for_meter_kind(kind: str, roles: tuple[Role, ...]) -> None:
    """A heat meter heats the house or the tap water; an unknown kind may be anything."""
    assert roles_for_meter_kind(kind) == roles


def test_every_meter_kind_of_the_bus_has_wmbus_roles() -> None:
    """The bus layer's kinds are the strings this table knows, and lead to wM-Bus roles only."""
    for kind in MeterKind:
        roles = roles_for_meter_kind(kind)
        assert roles
        assert set(roles) <= set(WMBUS_ROLES)
        assert (roles == WMBUS_ROLES) is (kind is MeterKind.OTHER)
    assert WMBUS_ROLES == (
        Role.SPACE_HEATING,
        Role.HOT_TAP_WATER,
        Role.COLD_WATER,
        Role.INDOOR_CLIMATE,
        Role.RADIATOR,
    )
