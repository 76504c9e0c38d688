"""The roles a meter plays in a BeNext home, and what each role implies."""

from __future__ import annotations

from enum import StrEnum
from itertools import chain


class Role(StrEnum):
    """What a meter measures for the home (docs/architecture.md)."""

    GRID = "grid"
    PV = "pv"
    HEAT_PUMP = "heat_pump"
    VENTILATION = "ventilation"
    AUXILIARY = "auxiliary"
    SPACE_HEATING = "space_heating"
    HOT_TAP_WATER = "hot_tap_water"
    COLD_WATER = "cold_water"
    INDOOR_CLIMATE = "indoor_climate"
    RADIATOR = "radiator"


# The roles a kWh meter on the RS485 bus can fill.
KWH_METER_ROLES: tuple[Role, ...] = (
    Role.PV,
    Role.HEAT_PUMP,
    Role.VENTILATION,
    Role.AUXILIARY,
)

# The Modbus addresses BeNext gives its kWh meters; other meters take the next free one.
BENEXT_MODBUS_ADDRESSES: dict[Role, int] = {
    Role.PV: 2,
    Role.HEAT_PUMP: 3,
    Role.VENTILATION: 4,
}

MODBUS_ADDRESS_MIN = 1
MODBUS_ADDRESS_MAX = 247


def default_modbus_address(role: Role, taken: set[int]) -> int | None:
    """The address a new kWh meter of this role gets, or None when the bus is full.

    BeNext's own address for the role when it is free, else the first free one from 5 on
    (1 is the factory default of most meters, so a meter left at it is not mistaken for ours).
    """
    preferred = BENEXT_MODBUS_ADDRESSES.get(role)
    if preferred is not None and preferred not in taken:
        return preferred
    candidates = chain(range(5, MODBUS_ADDRESS_MAX + 1), range(MODBUS_ADDRESS_MIN, 5))
    return next((address for address in candidates if address not in taken), None)
