"""The quantities a kWh meter on the RS485 bus measures."""

from __future__ import annotations

from enum import StrEnum


class Quantity(StrEnum):
    """One measured value of a kWh meter, named as the meter measures it.

    Role-dependent meaning (a PV meter's export is its production) is decided above
    the bus layer; here import is energy into the meter's load side, export the reverse.
    """

    POWER = "power"
    IMPORT_ENERGY = "import_energy"
    EXPORT_ENERGY = "export_energy"
    # Single-phase meters
    VOLTAGE = "voltage"
    CURRENT = "current"
    # Three-phase meters
    VOLTAGE_L1 = "voltage_l1"
    VOLTAGE_L2 = "voltage_l2"
    VOLTAGE_L3 = "voltage_l3"
    CURRENT_L1 = "current_l1"
    CURRENT_L2 = "current_l2"
    CURRENT_L3 = "current_l3"
    POWER_L1 = "power_l1"
    POWER_L2 = "power_l2"
    POWER_L3 = "power_l3"
    FREQUENCY = "frequency"
    POWER_FACTOR = "power_factor"
    # Tariff meters (Inepro 4PS): import per tariff and the tariff now active.
    IMPORT_ENERGY_T1 = "import_energy_t1"
    IMPORT_ENERGY_T2 = "import_energy_t2"
    IMPORT_ENERGY_T3 = "import_energy_t3"
    IMPORT_ENERGY_T4 = "import_energy_t4"
    ACTIVE_TARIFF = "active_tariff"


# Counters that only ever go up: they feed `total_increasing` sensors.
ENERGY_TOTALS: frozenset[Quantity] = frozenset(
    {
        Quantity.IMPORT_ENERGY,
        Quantity.EXPORT_ENERGY,
        Quantity.IMPORT_ENERGY_T1,
        Quantity.IMPORT_ENERGY_T2,
        Quantity.IMPORT_ENERGY_T3,
        Quantity.IMPORT_ENERGY_T4,
    }
)

TARIFF_ENERGIES: tuple[Quantity, ...] = (
    Quantity.IMPORT_ENERGY_T1,
    Quantity.IMPORT_ENERGY_T2,
    Quantity.IMPORT_ENERGY_T3,
    Quantity.IMPORT_ENERGY_T4,
)
