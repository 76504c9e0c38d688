"""What one P1 telegram says, in fixed units, whichever reader or DSMR variant sent it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class P1Quantity(StrEnum):
    """A value of the smart meter itself: energy in kWh, power in W, voltage in V, current in A."""

    ENERGY_IMPORT = "energy_import"
    ENERGY_IMPORT_T1 = "energy_import_t1"
    ENERGY_IMPORT_T2 = "energy_import_t2"
    ENERGY_IMPORT_T3 = "energy_import_t3"
    ENERGY_IMPORT_T4 = "energy_import_t4"
    ENERGY_EXPORT = "energy_export"
    ENERGY_EXPORT_T1 = "energy_export_t1"
    ENERGY_EXPORT_T2 = "energy_export_t2"
    ENERGY_EXPORT_T3 = "energy_export_t3"
    ENERGY_EXPORT_T4 = "energy_export_t4"
    POWER_IMPORT = "power_import"
    POWER_EXPORT = "power_export"
    POWER_IMPORT_L1 = "power_import_l1"
    POWER_IMPORT_L2 = "power_import_l2"
    POWER_IMPORT_L3 = "power_import_l3"
    POWER_EXPORT_L1 = "power_export_l1"
    POWER_EXPORT_L2 = "power_export_l2"
    POWER_EXPORT_L3 = "power_export_l3"
    VOLTAGE_L1 = "voltage_l1"
    VOLTAGE_L2 = "voltage_l2"
    VOLTAGE_L3 = "voltage_l3"
    CURRENT_L1 = "current_l1"
    CURRENT_L2 = "current_l2"
    CURRENT_L3 = "current_l3"
    SHORT_POWER_FAILURES = "short_power_failures"
    LONG_POWER_FAILURES = "long_power_failures"
    VOLTAGE_SAGS_L1 = "voltage_sags_l1"
    VOLTAGE_SAGS_L2 = "voltage_sags_l2"
    VOLTAGE_SAGS_L3 = "voltage_sags_l3"
    VOLTAGE_SWELLS_L1 = "voltage_swells_l1"
    VOLTAGE_SWELLS_L2 = "voltage_swells_l2"
    VOLTAGE_SWELLS_L3 = "voltage_swells_l3"
    # Belgian capacity tariff: the current 15-minute average demand and this month's peak.
    AVERAGE_DEMAND = "average_demand"
    MONTH_PEAK = "month_peak"
    # The meter's breaker (0 disconnected, 1 connected, 2 ready for reconnection), the
    # power limiter's threshold in W and the fuse supervision's threshold in A.
    BREAKER_STATE = "breaker_state"
    LIMITER_THRESHOLD = "limiter_threshold"
    FUSE_THRESHOLD_L1 = "fuse_threshold_l1"


# The energy registers: counters that may only go up.
ENERGY_TOTALS = frozenset(quantity for quantity in P1Quantity if quantity.startswith("energy_"))
# Counts of events (power failures, voltage sags and swells): whole numbers.
EVENT_COUNTS = frozenset(
    quantity
    for quantity in P1Quantity
    if quantity.endswith("_power_failures")
    or quantity.startswith(("voltage_sags", "voltage_swells"))
)
# Values that are whole numbers: counts, and the breaker's state code.
WHOLE_QUANTITIES = EVENT_COUNTS | {P1Quantity.BREAKER_STATE}


class Tariff(StrEnum):
    """The tariff the meter counts in now, whatever number the country gives it."""

    LOW = "low"
    NORMAL = "normal"


class MbusKind(StrEnum):
    """What an M-Bus meter behind the smart meter measures (its DSMR device type)."""

    GAS = "gas"
    HEAT = "heat"
    COOLING = "cooling"
    WATER = "water"
    HOT_WATER = "hot_water"


@dataclass(frozen=True, slots=True)
class MbusReading:
    """The last reading of an M-Bus meter, with the meter's own time of reading.

    `value` is in m3 for gas and water and in GJ for heat and cooling.
    """

    channel: int
    kind: MbusKind
    equipment_id: str | None
    value: float
    read_at: datetime
    # The valve's position (0-n:24.4.0: 0 closed, 1 open, 2 ready for opening), if sent.
    valve: int | None = None


@dataclass(frozen=True, slots=True)
class P1Reading:
    """One telegram: the meter's values, its tariff, its clock and its M-Bus meters."""

    values: dict[P1Quantity, float] = field(default_factory=dict)
    tariff: Tariff | None = None
    # The meter's clock when it sent the telegram, in UTC; None when it sends none.
    meter_time: datetime | None = None
    # The meter's serial number (its equipment identifier, decoded to text).
    equipment_id: str | None = None
    # The serial number printed on the meter, when the telegram sends it apart from its
    # equipment identifier (an EasyMeter's 0-0:96.1.255).
    serial_number: str | None = None
    # When this month's peak demand (MONTH_PEAK) was reached, in UTC (Belgian meters).
    month_peak_at: datetime | None = None
    # The identification line without its `/`: `ISK5\2M550T-1013` names maker and model.
    header: str | None = None
    mbus: tuple[MbusReading, ...] = ()
