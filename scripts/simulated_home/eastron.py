"""The register map of Eastron SDM meters: SDM630 (3-phase), SDM220/SDM230/SDM120 (1-phase).

Measurements are float32 input registers (FC04) 0x0000-0x017F; settings are float32
holding registers (FC03) 0x0000-0x001F; the serial number is a uint32 holding register
pair at 0xFC00, shown in decimal. A parameter that the model or its wiring does not
have reads 0.0, as on the real meters: a 1-phase meter carries only the registers of
its own (shorter) map.
"""

from __future__ import annotations

import math

from .meter_models import MeterReadings
from .registers import RegisterBlock, encode_uint32, float_words

BLOCKS = (
    RegisterBlock(4, 0x0000, 0x0180),
    RegisterBlock(3, 0x0000, 0x0020),
    RegisterBlock(3, 0xFC00, 0xFC04),
)
READ_FUNCTION_CODES = frozenset({3, 4})
WRITE_FUNCTION_CODES = frozenset({16})  # no FC06

SERIAL_NUMBER = 0xFC00
# Settings as the BeNext manual has them: 9600 baud (code 2), 8N1 (code 0).
PARITY, NODE_ADDRESS, BAUD_RATE = 0x0012, 0x0014, 0x001C
BAUD_9600, ONE_STOP_NO_PARITY = 2.0, 0.0


def registers(
    readings: MeterReadings, *, three_phase: bool, device_id: int, serial: int
) -> dict[int, dict[int, int]]:
    """The meter's registers per function code: address -> word."""
    inputs = _three_phase(readings) if three_phase else _single_phase(readings)
    holding = float_words(
        {PARITY: ONE_STOP_NO_PARITY, NODE_ADDRESS: float(device_id), BAUD_RATE: BAUD_9600}
    )
    holding[SERIAL_NUMBER], holding[SERIAL_NUMBER + 1] = encode_uint32(serial)
    return {4: float_words(inputs), 3: holding}


def _single_phase(r: MeterReadings) -> dict[int, float]:
    return {
        0x0000: r.voltage_v[0],
        0x0006: r.current_a[0],
        0x000C: r.power_w,
        0x0012: r.apparent_va[0],
        0x0018: r.reactive_var[0],
        0x001E: r.power_factor,
        0x0024: r.phase_angle_deg,
        0x0046: r.frequency_hz,
        0x0048: r.import_kwh,
        0x004A: r.export_kwh,
        0x0156: r.import_kwh + r.export_kwh,
    }


def _three_phase(r: MeterReadings) -> dict[int, float]:
    v, i = r.voltage_v, r.current_a
    apparent, reactive = r.apparent_va, r.reactive_var
    values: dict[int, float] = {}
    for n in range(3):
        values[0x0000 + 2 * n] = v[n]
        values[0x0006 + 2 * n] = i[n]
        values[0x000C + 2 * n] = r.phase_power_w[n]
        values[0x0012 + 2 * n] = apparent[n]
        values[0x0018 + 2 * n] = reactive[n]
        values[0x001E + 2 * n] = r.power_factor
        values[0x0024 + 2 * n] = r.phase_angle_deg
        # Line-to-line voltage of phase n and the next, 120 degrees apart.
        following = v[(n + 1) % 3]
        values[0x00C8 + 2 * n] = math.sqrt(v[n] ** 2 + following**2 + v[n] * following)
        values[0x015A + 2 * n] = r.import_kwh / 3
        values[0x0160 + 2 * n] = r.export_kwh / 3
        values[0x0166 + 2 * n] = (r.import_kwh + r.export_kwh) / 3
    values |= {
        0x002A: sum(v) / 3,
        0x002E: sum(i) / 3,
        0x0030: sum(i),
        0x0034: r.power_w,
        0x0038: sum(apparent),
        0x003C: sum(reactive),
        0x003E: r.power_factor,
        0x0042: r.phase_angle_deg,
        0x0046: r.frequency_hz,
        0x0048: r.import_kwh,
        0x004A: r.export_kwh,
        # The currents' vector sum, with the phases 120 degrees apart.
        0x00E0: math.sqrt(
            max(i[0] ** 2 + i[1] ** 2 + i[2] ** 2 - i[0] * i[1] - i[1] * i[2] - i[2] * i[0], 0)
        ),
        0x0156: r.import_kwh + r.export_kwh,
    }
    return values
