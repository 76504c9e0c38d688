"""Check 4, data correctness: BeNext's bandwidths, the expected orders, and the household."""

from __future__ import annotations

from typing import Final

from ..roles import Role
from .bandwidths import INDOOR_TEMPERATURE, bandwidth
from .comparison import significantly_higher
from .findings import Finding, FindingCode, finding
from .household import household_consumption, is_negative
from .snapshot import Counted, HomeSnapshot, MeterSnapshot
from .swaps import check_swaps, format_amount, latest_counted
from .timeline import FIRST_DAY, TENTH_DAY, checkpoint

BAND_CODES: Final = {
    Role.PV: FindingCode.PV_OUT_OF_BAND,
    Role.HEAT_PUMP: FindingCode.HEAT_PUMP_OUT_OF_BAND,
    Role.VENTILATION: FindingCode.VENTILATION_OUT_OF_BAND,
    Role.SPACE_HEATING: FindingCode.SPACE_HEATING_OUT_OF_BAND,
    Role.HOT_TAP_WATER: FindingCode.HOT_TAP_WATER_OUT_OF_BAND,
}
UNITS: Final = {
    Role.PV: "kWh",
    Role.HEAT_PUMP: "kWh",
    Role.VENTILATION: "kWh",
    Role.SPACE_HEATING: "m³",
    Role.HOT_TAP_WATER: "m³",
}
# A PV meter counting more than this at night is producing when it cannot: a kWh meter's
# resolution (0.01 kWh, the manual's lowest bound), so standby never raises it.
PV_NIGHT_TOLERANCE_KWH: Final = 0.01
# The roles whose counted kWh enter the household consumption.
ENERGY_ROLES: Final = (Role.GRID, Role.PV, Role.HEAT_PUMP, Role.VENTILATION, Role.AUXILIARY)


def check_correctness(home: HomeSnapshot) -> list[Finding]:
    """Every data correctness finding; a swapped pair's meters are left to the swap."""
    swapped_ids = {meter_id for found in check_swaps(home) for meter_id in found.meter_ids}
    findings = [
        found
        for meter in home.meters
        if meter.meter_id not in swapped_ids
        for found in _band_findings(home, meter)
    ]
    findings.extend(_temperature_findings(home))
    findings.extend(_pv_findings(home))
    findings.extend(_household_findings(home))
    return findings


def _band_findings(home: HomeSnapshot, meter: MeterSnapshot) -> list[Finding]:
    findings: list[Finding] = []
    code = BAND_CODES.get(meter.role)
    if code is None:
        return findings
    for day, counted in ((FIRST_DAY, meter.counted_day_1), (TENTH_DAY, meter.counted_day_10)):
        band = bandwidth(meter.role, day, home.season)
        if counted is None or band is None or counted.amount in band:
            continue
        findings.append(
            finding(
                code,
                meter.meter_id,
                subject=f"day_{day}",
                day=str(day),
                season=home.season,
                amount=format_amount(counted.amount),
                low=format_amount(band.low),
                high=format_amount(band.high),
                unit=UNITS[meter.role],
            )
        )
    return findings


def _temperature_findings(home: HomeSnapshot) -> list[Finding]:
    return [
        finding(
            FindingCode.INDOOR_TEMPERATURE_OUT_OF_BAND,
            meter.meter_id,
            temperature=format_amount(meter.temperature),
            low=format_amount(INDOOR_TEMPERATURE.low),
            high=format_amount(INDOOR_TEMPERATURE.high),
        )
        for meter in home.meters_in(Role.INDOOR_CLIMATE)
        if meter.temperature is not None and meter.temperature not in INDOOR_TEMPERATURE
    ]


def _pv_findings(home: HomeSnapshot) -> list[Finding]:
    findings: list[Finding] = []
    for meter in home.meters_in(Role.PV):
        counted = latest_counted(meter)
        if counted is not None and significantly_higher(counted.opposite, counted.amount):
            findings.append(
                finding(
                    FindingCode.PV_OWN_USE_ABOVE_PRODUCTION,
                    meter.meter_id,
                    production=format_amount(counted.amount),
                    own_use=format_amount(counted.opposite),
                )
            )
        night = meter.night_production
        if night is not None and night > PV_NIGHT_TOLERANCE_KWH:
            findings.append(
                finding(
                    FindingCode.PV_PRODUCTION_AT_NIGHT,
                    meter.meter_id,
                    production=format_amount(night),
                )
            )
    return findings


def household_since_start(home: HomeSnapshot) -> float | None:
    """The household consumption since the validation start, in kWh.

    None without a grid meter, or while a meter of an energy role has no amount yet (a
    missing PV meter would make it look negative).
    """
    totals: dict[Role, Counted] = {}
    for role in ENERGY_ROLES:
        amounts = [meter.counted for meter in home.meters_in(role)]
        if any(counted is None for counted in amounts):
            return None
        present = [counted for counted in amounts if counted is not None]
        totals[role] = Counted(
            sum(counted.amount for counted in present),
            sum(counted.opposite for counted in present),
        )
    if not home.meters_in(Role.GRID):
        return None
    return household_consumption(
        grid_import=totals[Role.GRID].amount,
        grid_export=totals[Role.GRID].opposite,
        pv_production=totals[Role.PV].amount,
        heat_pump=totals[Role.HEAT_PUMP].amount,
        ventilation=totals[Role.VENTILATION].amount,
        auxiliary=totals[Role.AUXILIARY].amount,
    )


def _household_findings(home: HomeSnapshot) -> list[Finding]:
    consumption = household_since_start(home)
    if consumption is None or not is_negative(consumption):
        return []
    return [
        finding(FindingCode.NEGATIVE_HOUSEHOLD_CONSUMPTION, consumption=format_amount(consumption))
    ]


def correctness_pending(home: HomeSnapshot) -> bool:
    """Whether day 10 is still to come, or a banded meter lacks the amount of a day passed."""
    if home.now < checkpoint(home.validation_start, TENTH_DAY):
        return True
    return any(
        meter.role in BAND_CODES and (meter.counted_day_1 is None or meter.counted_day_10 is None)
        for meter in home.meters
    )
