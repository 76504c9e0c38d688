"""What the simulated home's kWh meters measure over time: PV, heat pump and ventilation.

Pure functions of the time, like the P1 peer's: the meters show the same values
whoever asks, and their totals never go backwards when the simulator restarts. Each
meter's totals start at EPOCH from plausible values and integrate its power on a
5-minute grid, each step at its start's power; the power shown moves a little within
a step.

The PV meter is wired as a consumer, as BeNext installs it: while the inverter
produces, its active power is negative and its export register grows; at night the
inverter draws a few watts, which its import register counts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
import functools
import math
from zoneinfo import ZoneInfo

from .meter_models import MeterReadings, Phases

HOME_ZONE = ZoneInfo("Europe/Amsterdam")
EPOCH = datetime(2026, 1, 1, tzinfo=HOME_ZONE)
STEP = 300  # seconds: the grid on which the energy totals are integrated

# Import and export totals in kWh at EPOCH, per role.
START_KWH: dict[str, tuple[float, float]] = {
    "pv": (41.7, 6432.1),
    "heat_pump": (3512.8, 0.0),
    "ventilation": (812.4, 0.0),
}

PV_PEAK_W = 4500.0
PV_STANDBY_W = 5.0  # what the inverter draws at night
HEAT_PUMP_CYCLE = 2700  # seconds: 25 minutes on, 20 minutes off, on the 5-minute grid
HEAT_PUMP_ON = 1500
HEAT_PUMP_STANDBY_W = 15.0


def _noise(n: int) -> float:
    """A fixed pseudo-random number in [0, 1) for an integer (Knuth's multiplicative hash)."""
    return ((n * 2654435761) % 2**32) / 2**32


def _local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, HOME_ZONE)


def _hour(local: datetime) -> float:
    return local.hour + local.minute / 60 + local.second / 3600


def pv_production_w(ts: float) -> float:
    """What the roof produces: a daylight curve by the local clock, with passing clouds.

    Sunrise and sunset follow the season (a Dutch 8-hour winter day, 17-hour summer day)
    around solar noon, about 13:30 in summer time; a clear summer noon gives 4.5 kW.
    """
    local = _local(ts)
    season = math.cos(2 * math.pi * (local.timetuple().tm_yday - 172) / 365.25)
    half_day = 6.2 + 2.3 * season
    noon = 12.67 + (1 if local.dst() else 0)
    position = (_hour(local) - noon + half_day) / (2 * half_day)
    if not 0 < position < 1:
        return 0.0
    clear_sky = PV_PEAK_W * (0.7 + 0.3 * season) * math.pow(math.sin(math.pi * position), 2.5)
    # The day's weather, and clouds passing within it: some 850 kWh per kWp a year.
    clearness = 0.25 + 0.75 * _noise(local.toordinal())
    passing = 0.75 + 0.25 * math.sin(2 * math.pi * ts / 1900) * math.sin(2 * math.pi * ts / 4700)
    return clear_sky * clearness * passing


def pv_power_w(ts: float) -> float:
    """The PV meter's active power: negative while producing, the standby draw at night."""
    production = pv_production_w(ts)
    return -production if production > 2 * PV_STANDBY_W else PV_STANDBY_W


def heat_pump_power_w(ts: float) -> float:
    """Compressor cycles: 25 minutes at 1.2-2.05 kW, 20 minutes on standby.

    In winter every cycle runs; in summer only a few, for hot water. While it runs,
    the power rises slowly as the water it heats gets warmer.
    """
    cycle, moment = divmod(ts - EPOCH.timestamp(), HEAT_PUMP_CYCLE)
    season = math.cos(2 * math.pi * (_local(ts).timetuple().tm_yday - 172) / 365.25)
    runs = _noise(int(cycle) + 1) < 0.575 - 0.425 * season
    if moment >= HEAT_PUMP_ON or not runs:
        return HEAT_PUMP_STANDBY_W
    return 1200 + 750 * _noise(int(cycle)) + 100 * moment / HEAT_PUMP_ON


def ventilation_power_w(ts: float) -> float:
    """The balanced ventilation: about 40 W, boosted at breakfast and dinner time."""
    hour = _hour(_local(ts))
    boost = max(math.exp(-(((hour - h) / 0.6) ** 2)) for h in (7.5, 18.5))
    return 40 + 16 * boost + 1.5 * math.sin(ts / 13)


# The phase a 1-phase meter's load is on.
PHASE = {"heat_pump": 1, "ventilation": 2}

POWER_W: dict[str, Callable[[float], float]] = {
    "pv": pv_power_w,
    "heat_pump": heat_pump_power_w,
    "ventilation": ventilation_power_w,
}


def _integrate(power: Callable[[float], float], start: float, end: float) -> tuple[float, float]:
    """Import and export kWh between two instants on the grid."""
    imported = exported = 0.0
    ts = start
    while ts < end:
        kwh = power(ts) * min(STEP, end - ts) / 3_600_000
        if kwh >= 0:
            imported += kwh
        else:
            exported -= kwh
        ts += STEP
    return imported, exported


def _midnight(day: date) -> float:
    return datetime.combine(day, time(), HOME_ZONE).timestamp()


@functools.cache
def _day_kwh(role: str, day: date) -> tuple[float, float]:
    start = _midnight(day)
    return _integrate(POWER_W[role], start, _midnight(day + timedelta(days=1)))


def energy_kwh(role: str, ts: float) -> tuple[float, float]:
    """The meter's import and export totals at an instant."""
    imported, exported = START_KWH[role]
    day = EPOCH.date()
    today = _local(ts).date()
    while day < today:
        day_import, day_export = _day_kwh(role, day)
        imported += day_import
        exported += day_export
        day += timedelta(days=1)
    start = max(_midnight(today), EPOCH.timestamp())
    if ts > start:
        today_import, today_export = _integrate(POWER_W[role], start, ts)
        imported += today_import
        exported += today_export
    return imported, exported


def voltages_v(ts: float) -> Phases:
    """The grid's phase voltages: 230 V, a few volts up and down."""
    v = [230 + 2.5 * math.sin(ts / 900 + 2.1 * n) + 0.4 * math.sin(ts * 0.9 + n) for n in range(3)]
    return (v[0], v[1], v[2])


def frequency_hz(ts: float) -> float:
    """The grid frequency: within 0.05 Hz of 50 Hz."""
    return 50 + 0.03 * math.sin(ts / 37) + 0.015 * math.sin(ts / 11)


def power_factor(role: str, power_w: float) -> float:
    """A plausible power factor; negative while the current flows back to the grid."""
    if power_w < 0:
        return -0.99
    if role == "heat_pump":
        return 0.96 if power_w > 100 else 0.45
    if role == "ventilation":
        return 0.62
    return 0.35  # an inverter's standby draw


def readings(role: str, *, three_phase: bool, ts: float) -> MeterReadings:
    """What the meter in a role shows at an instant."""
    power = POWER_W[role](ts)
    imported, exported = energy_kwh(role, ts)
    voltages = voltages_v(ts)
    if not three_phase:
        on = PHASE.get(role, 0)
        voltages = (voltages[on], 0.0, 0.0)
    return MeterReadings.from_power(
        power,
        three_phase=three_phase,
        import_kwh=imported,
        export_kwh=exported,
        voltage_v=voltages,
        power_factor=power_factor(role, power),
        frequency_hz=frequency_hz(ts),
    )
