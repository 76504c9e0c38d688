"""The telegrams the simulated home's wireless M-Bus meters send, with their values of the moment.

Each meter's telegram is an upstream wmbusmeters test telegram (wmbusmeters/wmbusmeters
tag 2.0.0, commit 613f21f21a77bfa7a74d0ddaddfcf70953cf68bb; collected with wmbusmeters
2.0.0's output in ../shared/fixtures/wmbus_telegrams.json, copied to
tests/fixtures/wmbus_telegrams.json) with its values replaced by `wmbus_meters`'
readings. All are unencrypted or already decrypted: wmbusmeters decodes them with NOKEY.

- space heating, Axioma Qalcosonic E4 (version 0x0C, heat in MJ), id 29481002:
  src/driver_qualcosonic.cc, test "qualcoe4";
- hot tap water, Axioma Qalcosonic E3 (version 0x0B, heat in kWh), id 03016408:
  src/driver_qualcosonic.cc, test "qualco" (a cooling reading there; here heat);
- cold water, Kamstrup Multical 21, id 76348799: src/driver_multical21.cc, test
  "MyTapWater" (the decrypted form of a real telegram). SYNTHETIC: its info code (DIF/VIF
  02 FF 20) is set to 0x0000 (OK) or 0x0404 (LEAK, leaking for 1-8 hours) and its ELL
  payload CRC recomputed; no real meter sent these;
- indoor climate, Elvaco CMa12w, id 66666666: src/driver_cma12w.cc, test "Tempo".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import endpoints, wmbus_meters
from .wmbus_frames import FrameTemplate, date_time_f, integer

_QUALCOSONIC_E4 = FrameTemplate.parse(
    "76440907021048290C0D7A89000000_046D2301E122346D0000010134FD1700000000042009746802"
    "0424DE736802048E3BF1190000048E3C00000000041323860100042B6E050000043B2500000002598016"
    "025D000A0261800C0C780210482984086D3B17FF2184088E3BED19000084088E3C00000000",
    {
        "meter_datetime": "046D",
        "on_time_s": "0420",
        "operating_time_s": "0424",
        "heat_energy": "048E3B",  # MJ
        "volume_l": "0413",
        "power_w": "042B",
        "flow_l_per_h": "043B",
        "flow_c": "0259",
        "return_c": "025D",
        "difference_k": "0261",
        "target_datetime": "84086D",
        "target_heat_energy": "84088E3B",
    },
)
_QUALCOSONIC_E3 = FrameTemplate.parse(
    "76440907086401030B0D7A78000000046D030FB726346D0000010134FD170000000004200F13CF0104240F"
    "13CF0104863B0000000004863CDC0000000413B5150600042B86F1FFFF043B030200000259C002025D2C05"
    "026194FD0C780864010384086D3B17BF258408863B000000008408863C0B000000",
    {
        "meter_datetime": "046D",
        "on_time_s": "0420",
        "operating_time_s": "0424",
        "heat_energy": "04863B",  # kWh
        "cooling_energy_kwh": "04863C",
        "volume_l": "0413",
        "power_w": "042B",
        "flow_l_per_h": "043B",
        "flow_c": "0259",
        "return_c": "025D",
        "difference_k": "0261",
        "target_datetime": "84086D",
        "target_heat_energy": "8408863B",
        "target_cooling_energy_kwh": "8408863C",
    },
)
_MULTICAL_21 = FrameTemplate.parse(
    "2A442D2C998734761B168D2091D37CAC21_576C7802FF207100041308190000441308190000615B7F616713",
    {
        "info_code": "02FF20",
        "total_l": "0413",
        "target_l": "4413",
        "flow_c": "615B",
        "ambient_c": "6167",
    },
    ell_crc=True,
)
_CMA12W = FrameTemplate.parse(
    "2744961566666666201B7AF9000020_2F2F02651E094265180902FD1B30030DFD0F05302E302E340F",
    {"temperature_c": "0265", "average_1h_c": "4265"},
)
# Multical 21 info code bits: LEAK, and "leaking for 1-8 hours" in bits 10-12.
_LEAK = 0x0004 | 1 << 10
# The E3 template's error-time and fabrication fields stay as sent; its operating time
# counter is the on-time minus the 43 s the E4 example shows.
_OPERATING_BEHIND_S = 43


def _centi(value: float) -> bytes:
    return integer(round(value * 100), 2)


def _heat_meter(template: FrameTemplate, reading: wmbus_meters.HeatMeterReading, mj: bool) -> bytes:
    """An Axioma telegram: energy in MJ (E4) or kWh (E3), everything else alike."""
    energy, target = (
        (reading.energy_kj // 1000, reading.target_energy_kj // 1000)
        if mj
        else (reading.energy_kj // 3600, reading.target_energy_kj // 3600)
    )
    values = {
        "meter_datetime": date_time_f(reading.local),
        "on_time_s": integer(reading.on_time_s, 4),
        "operating_time_s": integer(reading.on_time_s - _OPERATING_BEHIND_S, 4),
        "heat_energy": integer(energy, 4),
        "volume_l": integer(reading.volume_l, 4),
        "power_w": integer(reading.power_w, 4),
        "flow_l_per_h": integer(reading.flow_l_per_h, 4),
        "flow_c": _centi(reading.flow_c),
        "return_c": _centi(reading.return_c),
        "difference_k": _centi(reading.flow_c - reading.return_c),
        "target_datetime": date_time_f(reading.target_local),
        "target_heat_energy": integer(target, 4),
    }
    if not mj:  # the E3 example is a cooling meter's; this one only heats
        values |= {
            "cooling_energy_kwh": integer(0, 4),
            "target_cooling_energy_kwh": integer(0, 4),
        }
    return template.render(values)


def space_heating(ts: float) -> bytes:
    """The space-heating meter's telegram at an instant."""
    return _heat_meter(_QUALCOSONIC_E4, wmbus_meters.space_heating(ts), mj=True)


def hot_tap_water(ts: float) -> bytes:
    """The hot-tap-water meter's telegram at an instant."""
    return _heat_meter(_QUALCOSONIC_E3, wmbus_meters.hot_tap_water(ts), mj=False)


def cold_water(ts: float) -> bytes:
    """The cold-water meter's telegram at an instant: LEAK while the tap drips."""
    reading = wmbus_meters.cold_water(ts)
    return _MULTICAL_21.render(
        {
            "info_code": integer(_LEAK if reading.leaking else 0, 2),
            "total_l": integer(reading.total_l, 4),
            "target_l": integer(reading.target_l, 4),
            "flow_c": integer(reading.flow_c, 1),
            "ambient_c": integer(reading.ambient_c, 1),
        }
    )


def indoor_climate(ts: float) -> bytes:
    """The room sensor's telegram at an instant."""
    reading = wmbus_meters.room_climate(ts)
    return _CMA12W.render(
        {
            "temperature_c": _centi(reading.temperature_c),
            "average_1h_c": _centi(reading.average_1h_c),
        }
    )


@dataclass(frozen=True, slots=True)
class SimulatedWmbusMeter:
    """A meter of the simulated home: who it is, how often it sends, and what."""

    meter_id: str
    role: str
    driver: str
    interval_s: float
    telegram: Callable[[float], bytes]


# Seconds between two telegrams: a Multical 21 sends every 16 s; the others send less
# often in reality (minutes), a little faster here for the demo.
_SENDERS: dict[str, tuple[float, Callable[[float], bytes]]] = {
    "space_heating": (30.0, space_heating),
    "hot_tap_water": (30.0, hot_tap_water),
    "cold_water": (16.0, cold_water),
    "indoor_climate": (60.0, indoor_climate),
}

METERS: tuple[SimulatedWmbusMeter, ...] = tuple(
    SimulatedWmbusMeter(meter_id, role, driver, *_SENDERS[role])
    for meter_id, (role, driver) in endpoints.WMBUS_METERS.items()
)
