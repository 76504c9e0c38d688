"""Roles and the Modbus addresses BeNext gives its kWh meters."""

from __future__ import annotations

import pytest

from custom_components.benext.domain.roles import Role, default_modbus_address


@pytest.mark.parametrize(
    ("role", "address"), [(Role.PV, 2), (Role.HEAT_PUMP, 3), (Role.VENTILATION, 4)]
)
def test_benext_address_per_role(role: Role, address: int) -> None:
    """PV 2, heat pump 3, ventilation 4, as in the BeNext manual."""
    assert default_modbus_address(role, set()) == address


def test_next_free_address() -> None:
    """Extra meters, and roles whose address is taken, start at 5; 1 (factory default) last."""
    assert default_modbus_address(Role.AUXILIARY, {2, 3, 4}) == 5
    assert default_modbus_address(Role.PV, {2, 5, 6}) == 7
    assert default_modbus_address(Role.AUXILIARY, set(range(2, 248))) == 1
    assert default_modbus_address(Role.AUXILIARY, set(range(1, 248))) is None
