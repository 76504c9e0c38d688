"""Common faults a meter shows by itself: against the flow, an error code, reception, key."""

from __future__ import annotations

from typing import Final

from .findings import Finding, FindingCode, finding
from .snapshot import WMBUS_BUS, HomeSnapshot, MeterSnapshot

# A heat meter's codes that are no fault: 0000 no error; 4000 no temperature difference,
# which is normal while there is no heat demand (domain of bus/wmbus/axioma.py).
HEAT_METER_CODES_OK: Final = frozenset({"0000", "4000"})
# A wireless meter in the home is heard well above this; one heard below it is probably a
# neighbour's (our choice: common receivers hear down to about -105 dBm).
WEAK_SIGNAL_DBM: Final = -95.0
# Fewer telegrams an hour than this are sparse: a meter in the home is heard every few
# minutes, and one silent for 45 minutes is already shown unavailable (wmbus/coordinator).
MIN_TELEGRAMS_PER_HOUR: Final = 2.0


def check_meter_faults(home: HomeSnapshot) -> list[Finding]:
    """Each meter's own faults, in the order of the manual's list."""
    return [found for meter in home.meters for found in _faults(meter)]


def _faults(meter: MeterSnapshot) -> list[Finding]:
    findings: list[Finding] = []
    if meter.reverse_flow or meter.total_fell:
        reason = "reverse_flow" if meter.reverse_flow else "falling_total"
        findings.append(finding(FindingCode.WATER_METER_REVERSED, meter.meter_id, reason=reason))
    if meter.error_code is not None and meter.error_code.upper() not in HEAT_METER_CODES_OK:
        findings.append(
            finding(FindingCode.HEAT_METER_ERROR, meter.meter_id, code=meter.error_code.upper())
        )
    if meter.bus == WMBUS_BUS and meter.reachable:
        weak = _wrong_house_reason(meter)
        if weak is not None:
            findings.append(
                finding(
                    FindingCode.SENSOR_IN_WRONG_HOUSE,
                    meter.meter_id,
                    reason=weak,
                    rssi_dbm="" if meter.rssi_dbm is None else f"{meter.rssi_dbm:g}",
                    telegrams_per_hour=(
                        "" if meter.telegrams_per_hour is None else f"{meter.telegrams_per_hour:g}"
                    ),
                )
            )
    if meter.wrong_key:
        findings.append(finding(FindingCode.WRONG_AES_KEY, meter.meter_id))
    return findings


def _wrong_house_reason(meter: MeterSnapshot) -> str | None:
    """Why a wireless meter looks like a neighbour's: weak reception or sparse telegrams."""
    if meter.rssi_dbm is not None and meter.rssi_dbm < WEAK_SIGNAL_DBM:
        return "weak_signal"
    if meter.telegrams_per_hour is not None and meter.telegrams_per_hour < MIN_TELEGRAMS_PER_HOUR:
        return "sparse_telegrams"
    return None
