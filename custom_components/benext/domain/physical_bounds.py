"""How fast a home's meters can count at most: a total rising faster is a glitch.

Each bound is per hour, in the total's own unit, with a margin above what the meter
kind can physically register; a rise beyond it is never believed by repetition alone.
"""

from __future__ import annotations

from typing import Final

# A kWh meter on the RS485 bus: three phases of 80 A (the largest Dutch home connection,
# 3x80A) at 230 V count 55.2 kWh an hour.
KWH_METER_MAX_KW: Final = 3 * 80 * 230 / 1000
# The smart meter counts what the home's connection carries: the same 3x80A fuse.
P1_CONNECTION_MAX_KW: Final = 3 * 80 * 230 / 1000
# A gas meter behind the smart meter: a G6 meter's maximum flow is 10 m3/h.
GAS_METER_MAX_M3_PER_HOUR: Final = 10.0
# A home water meter: Q4 (overload flow) of a Q3 = 4 m3/h meter is 5 m3/h; twice that.
WATER_METER_MAX_M3_PER_HOUR: Final = 10.0
# A home heat meter (Qalcosonic E3/E4, qp 2.5 m3/h): 2.5 m3/h at a 50 K difference is
# about 145 kW.
HEAT_METER_MAX_KW: Final = 150.0
# A heat cost allocator's consumption units: far above any radiator's hourly count.
HEAT_COST_UNITS_MAX_PER_HOUR: Final = 1000.0

GJ_PER_KWH: Final = 0.0036

# The largest rise per hour of a wireless meter's total, by Home Assistant's unit string.
MAX_RISE_PER_HOUR_BY_UNIT: Final[dict[str | None, float]] = {
    "Wh": HEAT_METER_MAX_KW * 1000,
    "kWh": HEAT_METER_MAX_KW,
    "MWh": HEAT_METER_MAX_KW / 1000,
    "GJ": HEAT_METER_MAX_KW * GJ_PER_KWH,
    "m³": WATER_METER_MAX_M3_PER_HOUR,
    "L": WATER_METER_MAX_M3_PER_HOUR * 1000,
    None: HEAT_COST_UNITS_MAX_PER_HOUR,
}
