"""The roles a sensor of another integration can fill, by its device class."""

from __future__ import annotations

import pytest

from custom_components.benext.domain.existing_entity_roles import (
    COUNTING_ROLES,
    EXISTING_ENTITY_ROLES,
    roles_for_device_class,
)
from custom_components.benext.domain.roles import Role


@pytest.mark.parametrize(
    ("device_class", "roles"),
    [
        ("energy", (Role.PV, Role.HEAT_PUMP, Role.VENTILATION, Role.AUXILIARY)),
        ("water", (Role.HOT_TAP_WATER, Role.SPACE_HEATING, Role.COLD_WATER)),
        ("volume", (Role.HOT_TAP_WATER, Role.SPACE_HEATING, Role.COLD_WATER)),
        ("temperature", (Role.INDOOR_CLIMATE,)),
        ("carbon_dioxide", (Role.INDOOR_CLIMATE,)),
        ("humidity", ()),
        (None, ()),
    ],
)
def test_roles_follow_what_the_sensor_measures(
    device_class: str | None, roles: tuple[Role, ...]
) -> None:
    """An energy sensor is a kWh meter, a water sensor a water meter, a room sensor a room's."""
    assert roles_for_device_class(device_class) == roles


def test_the_grid_and_radiators_are_never_another_integrations() -> None:
    """The grid is the smart meter's import and export; a radiator counts units."""
    assert Role.GRID not in EXISTING_ENTITY_ROLES
    assert Role.RADIATOR not in EXISTING_ENTITY_ROLES
    assert Role.INDOOR_CLIMATE not in COUNTING_ROLES
