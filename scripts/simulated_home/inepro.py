"""The register map of Inepro meters: PRO380 (3-phase), PRO1 (1-phase) and 4PS.

Everything is a holding register (FC03), float32 unless noted, power in kW, kvar and
kVA. Identity 0x4000-0x4020 (serial number a uint32 at 0x4000 that the meter shows as
8 hex digits), measurements 0x5000-0x5031, energies from 0x6000. A value the model does
not have reads NaN. The 4PS (Inepro-built, register map of the WAGO 879-30xx) adds T3
and T4 and the active tariff, a single int16 word at 0x6048 that shifts the float32
registers after it to odd addresses.
"""

from __future__ import annotations

import math

from .meter_models import MeterReadings
from .registers import RegisterBlock, encode_int16, encode_uint32, float_words

READ_FUNCTION_CODES = frozenset({3})
WRITE_FUNCTION_CODES = frozenset({6, 16})

SERIAL_NUMBER = 0x4000
TARIFF = 0x6048
NAN = math.nan
# Plausible identity values; the meters' own vary per batch.
PROTOCOL_VERSION = 2.18


def blocks(*, four_tariffs: bool) -> tuple[RegisterBlock, ...]:
    """Where the model has registers."""
    return (
        RegisterBlock(3, 0x4000, 0x4021),
        RegisterBlock(3, 0x5000, 0x5032),
        RegisterBlock(3, 0x6000, 0x6091 if four_tariffs else 0x6048),
    )


def registers(
    readings: MeterReadings,
    *,
    three_phase: bool,
    four_tariffs: bool,
    device_id: int,
    serial: int,
) -> dict[int, dict[int, int]]:
    """The meter's registers per function code: address -> word."""
    words = _identity(three_phase=three_phase, device_id=device_id, serial=serial)
    words |= float_words(_measurements(readings, three_phase=three_phase))
    words |= float_words(_energies(readings, three_phase=three_phase))
    if four_tariffs:
        words |= float_words(_four_tariffs(readings))
        words[TARIFF] = encode_int16(readings.active_tariff)
    return {3: words}


def _identity(*, three_phase: bool, device_id: int, serial: int) -> dict[int, int]:
    words = dict.fromkeys(range(0x4000, 0x4021), 0)
    words[SERIAL_NUMBER], words[SERIAL_NUMBER + 1] = encode_uint32(serial)
    words[0x4003] = device_id
    words[0x4004] = 9600  # baud rate
    words[0x400B] = 100 if three_phase else 45  # the meter's maximum current in A
    words |= float_words({0x4005: PROTOCOL_VERSION})
    return words


def _measurements(r: MeterReadings, *, three_phase: bool) -> dict[int, float]:
    values = dict.fromkeys(range(0x5000, 0x5032, 2), NAN)  # what the model lacks
    phases = 3 if three_phase else 1
    reactive, apparent = r.reactive_var[:phases], r.apparent_va[:phases]
    values |= {
        0x5008: r.frequency_hz,
        0x5012: r.power_w / 1000,
        0x501A: sum(reactive) / 1000,
        0x5022: sum(apparent) / 1000,
        0x502A: r.power_factor,
    }
    if three_phase:
        per_phase = {
            0x5002: r.voltage_v,
            0x500C: r.current_a,
            0x5014: tuple(p / 1000 for p in r.phase_power_w),
        }
    else:
        # The PRO1 has its voltage and current at 0x5000 and 0x500A, which the PRO380 lacks.
        values[0x5000], values[0x500A] = r.voltage_v[0], r.current_a[0]
        per_phase = {0x5014: (r.power_w / 1000,)}
    per_phase |= {
        0x501C: tuple(q / 1000 for q in reactive),
        0x5024: tuple(s / 1000 for s in apparent),
        0x502C: (r.power_factor,) * phases,
    }
    for start, phase_values in per_phase.items():
        for n, value in enumerate(phase_values):
            values[start + 2 * n] = value
    return values


def _energies(r: MeterReadings, *, three_phase: bool) -> dict[int, float]:
    total = r.import_kwh + r.export_kwh
    t1 = r.import_kwh_tariff[0] + r.export_kwh_tariff[0]
    t2 = r.import_kwh_tariff[1] + r.export_kwh_tariff[1]
    values = dict.fromkeys(range(0x6024, 0x6048, 2), 0.0)  # reactive energies
    for start, (energy, first, second) in {
        0x6000: (total, t1, t2),
        0x600C: (r.import_kwh, r.import_kwh_tariff[0], r.import_kwh_tariff[1]),
        0x6018: (r.export_kwh, r.export_kwh_tariff[0], r.export_kwh_tariff[1]),
    }.items():
        values[start], values[start + 2], values[start + 4] = energy, first, second
        phases = (energy / 3,) * 3 if three_phase else (energy, NAN, NAN)
        for n in range(3):
            values[start + 6 + 2 * n] = phases[n]
    return values


def _four_tariffs(r: MeterReadings) -> dict[int, float]:
    imports, exports = r.import_kwh_tariff, r.export_kwh_tariff
    values = dict.fromkeys(range(0x6057, 0x608B, 2), 0.0)  # reactive energies
    values |= {
        0x6049: r.day_kwh,
        0x604B: imports[2] + exports[2],
        0x604D: imports[3] + exports[3],
        0x604F: imports[2],
        0x6051: imports[3],
        0x6053: exports[2],
        0x6055: exports[3],
    }
    for n in range(3):
        values[0x608B + 2 * n] = r.day_kwh / 3
    return values
