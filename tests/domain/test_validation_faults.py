"""The common faults a meter shows by itself."""

from __future__ import annotations

from dataclasses import replace

import pytest

from custom_components.benext.domain.roles import Role
from custom_components.benext.domain.validation.meter_faults import (
    MIN_TELEGRAMS_PER_HOUR,
    WEAK_SIGNAL_DBM,
    check_meter_faults,
)
from custom_components.benext.domain.validation.validate import validate

from .validation_homes import codes, meter, valid_home, valid_meters


@pytest.mark.parametrize(
    ("reverse_flow", "total_fell", "reason"),
    [(True, False, "reverse_flow"), (False, True, "falling_total"), (True, True, "reverse_flow")],
)
def test_water_meter_against_the_flow(reverse_flow: bool, total_fell: bool, reason: str) -> None:
    cold = meter("cold", Role.COLD_WATER, reverse_flow=reverse_flow, total_fell=total_fell)
    findings = validate(valid_home(cold)).findings
    assert codes(findings) == ["water_meter_reversed"]
    assert findings[0].meter_ids == ("cold",)
    assert findings[0].translation_placeholders == {"reason": reason}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (None, None),
        ("0000", None),
        ("4000", None),  # no temperature difference: no heat demand
        ("0002", "0002"),
        ("8000", "8000"),
        ("4001", "4001"),
        ("a000", "A000"),
    ],
)
def test_heat_meter_error_code(code: str | None, expected: str | None) -> None:
    space_heating = replace(valid_meters()[Role.SPACE_HEATING], error_code=code)
    findings = check_meter_faults(valid_home(space_heating=space_heating))
    if expected is None:
        assert findings == []
    else:
        assert codes(findings) == ["heat_meter_error"]
        assert findings[0].translation_placeholders == {"code": expected}


@pytest.mark.parametrize(
    ("rssi", "rate", "reason"),
    [
        (None, None, None),
        (-60.0, 60.0, None),
        (WEAK_SIGNAL_DBM, MIN_TELEGRAMS_PER_HOUR, None),
        (WEAK_SIGNAL_DBM - 0.5, 60.0, "weak_signal"),
        (-60.0, MIN_TELEGRAMS_PER_HOUR - 0.5, "sparse_telegrams"),
        (-101.0, 0.5, "weak_signal"),
    ],
)
def test_wireless_sensor_in_the_wrong_house(
    rssi: float | None, rate: float | None, reason: str | None
) -> None:
    room = replace(valid_meters()[Role.INDOOR_CLIMATE], rssi_dbm=rssi, telegrams_per_hour=rate)
    findings = check_meter_faults(valid_home(indoor_climate=room))
    if reason is None:
        assert findings == []
    else:
        assert codes(findings) == ["sensor_in_wrong_house"]
        assert findings[0].translation_placeholders["reason"] == reason
        assert findings[0].translation_placeholders["rssi_dbm"] == f"{rssi:g}"


def test_reception_is_judged_only_for_wireless_meters_heard() -> None:
    wired = replace(valid_meters()[Role.HEAT_PUMP], rssi_dbm=-120.0, telegrams_per_hour=0.0)
    unheard = replace(valid_meters()[Role.INDOOR_CLIMATE], reachable=False, rssi_dbm=-120.0)
    assert check_meter_faults(valid_home(heat_pump=wired)) == []
    assert check_meter_faults(valid_home(indoor_climate=unheard)) == []


def test_wrong_aes_key() -> None:
    hot_tap_water = replace(valid_meters()[Role.HOT_TAP_WATER], wrong_key=True)
    findings = check_meter_faults(valid_home(hot_tap_water=hot_tap_water))
    assert [(f.code.value, f.meter_ids, f.category.value) for f in findings] == [
        ("wrong_aes_key", ("hot_tap_water",), "common_fault")
    ]
