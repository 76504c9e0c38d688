"""Checks 1 to 3: reachability, values forwarded, configuration; and the Modbus address."""

from __future__ import annotations

from dataclasses import replace

import pytest

from custom_components.benext.domain.hub_status import BusCondition
from custom_components.benext.domain.product_status import ProductStatus
from custom_components.benext.domain.roles import Role
from custom_components.benext.domain.validation.configuration import (
    NOM_ROLES,
    check_configuration,
)
from custom_components.benext.domain.validation.forwarded import check_forwarded
from custom_components.benext.domain.validation.modbus_address import check_modbus_addresses
from custom_components.benext.domain.validation.reachability import check_reachability
from custom_components.benext.domain.validation.snapshot import (
    BusSnapshot,
    MeterSnapshot,
    ScanHit,
)
from custom_components.benext.domain.validation.validate import validate

from .validation_homes import ALL_UP, codes, home, meter, valid_home, valid_meters


def test_the_valid_home_has_no_finding_and_passes() -> None:
    for summer in (False, True):
        validation = validate(valid_home(summer=summer))
        assert validation.findings == ()
        assert validation.overall == "passed"


def _buses(**conditions: BusCondition) -> tuple[BusSnapshot, ...]:
    return tuple(BusSnapshot(b.bus, conditions.get(b.bus, b.condition)) for b in ALL_UP)


@pytest.mark.parametrize(
    ("bus", "code"),
    [("p1", "p1_not_arriving"), ("modbus", "bus_offline"), ("wmbus", "bus_offline")],
)
def test_a_bus_down_is_one_finding_not_one_per_meter(bus: str, code: str) -> None:
    snapshot = replace(valid_home(), buses=_buses(**{bus: BusCondition.DOWN}))
    meters = tuple(replace(m, reachable=m.bus != bus) for m in snapshot.meters)
    snapshot = replace(snapshot, meters=meters)
    findings = validate(snapshot).findings
    assert codes(findings) == [code]
    assert findings[0].subject == bus
    assert findings[0].translation_placeholders == {"bus": bus}


def test_a_bus_still_waiting_is_pending_not_a_finding() -> None:
    snapshot = replace(valid_home(), buses=_buses(wmbus=BusCondition.WAITING))
    meters = tuple(
        replace(m, reachable=False, status=ProductStatus.NO_DATA) if m.bus == "wmbus" else m
        for m in snapshot.meters
    )
    validation = validate(replace(snapshot, meters=meters))
    assert validation.findings == ()
    assert validation.verdicts["reachability"] == "pending"
    assert validation.verdicts["values_forwarded"] == "pending"
    assert validation.overall == "pending"


def test_an_unreachable_meter_on_a_bus_that_answers() -> None:
    heat_pump = replace(
        valid_meters()[Role.HEAT_PUMP], reachable=False, status=ProductStatus.NO_DATA
    )
    findings = check_reachability(valid_home(heat_pump=heat_pump))
    assert codes(findings) == ["meter_unreachable"]
    assert findings[0].meter_ids == ("heat_pump",)
    # Its values are not a second finding: the meter not answering is the one cause.
    assert check_forwarded(valid_home(heat_pump=heat_pump)) == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ProductStatus.OK, []),
        (ProductStatus.NO_DATA, ["values_not_forwarded"]),
        (ProductStatus.READS_ZERO, ["values_read_zero"]),
    ],
)
@pytest.mark.parametrize(
    "role",
    [
        Role.PV,
        Role.HEAT_PUMP,
        Role.VENTILATION,
        Role.SPACE_HEATING,
        Role.HOT_TAP_WATER,
        Role.INDOOR_CLIMATE,
    ],
)
def test_values_forwarded_per_role(role: Role, status: ProductStatus, expected: list[str]) -> None:
    changed = replace(valid_meters()[role], status=status)
    findings = check_forwarded(valid_home(**{role.value: changed}))
    assert codes(findings) == expected
    assert all(f.translation_placeholders == {"role": role.value} for f in findings)


def test_extra_kwh_meters_must_report_too_the_grid_is_reachability() -> None:
    auxiliary = meter("boiler", Role.AUXILIARY, status=ProductStatus.READS_ZERO)
    grid = replace(valid_meters()[Role.GRID], status=ProductStatus.NO_DATA)
    findings = check_forwarded(valid_home(auxiliary, grid=grid))
    assert [(f.code.value, f.meter_ids) for f in findings] == [("values_read_zero", ("boiler",))]


def test_a_wrong_key_is_its_own_finding_not_missing_values() -> None:
    room = replace(
        valid_meters()[Role.INDOOR_CLIMATE], wrong_key=True, status=ProductStatus.NO_DATA
    )
    assert codes(validate(valid_home(indoor_climate=room)).findings) == ["wrong_aes_key"]


@pytest.mark.parametrize("role", NOM_ROLES)
def test_each_missing_nom_role_is_a_finding(role: Role) -> None:
    meters = [m for m in valid_meters().values() if m.role is not role]
    findings = check_configuration(home(*meters))
    assert codes(findings) == ["role_missing"]
    assert findings[0].subject == role.value
    assert findings[0].translation_placeholders == {"role": role.value}


def test_an_empty_home_misses_every_role() -> None:
    assert [f.subject for f in check_configuration(home())] == [r.value for r in NOM_ROLES]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (meter("pv_2", Role.PV), ["role_duplicated"]),
        (meter("heat_pump_2", Role.HEAT_PUMP), ["role_duplicated"]),
        (meter("grid_2", Role.GRID), ["role_duplicated"]),
        (meter("tap_2", Role.HOT_TAP_WATER), ["role_duplicated"]),
        (meter("bedroom", Role.INDOOR_CLIMATE, temperature=18.0), []),
        (meter("boiler", Role.AUXILIARY), []),
        (meter("cold", Role.COLD_WATER), []),
        (meter("radiator", Role.RADIATOR), []),
    ],
)
def test_two_meters_where_one_is_expected(extra: MeterSnapshot, expected: list[str]) -> None:
    findings = check_configuration(valid_home(extra))
    assert codes(findings) == expected
    if expected:
        assert extra.meter_id in findings[0].meter_ids
        assert findings[0].translation_placeholders["count"] == "2"


def test_a_modbus_meter_found_at_another_address() -> None:
    """Silent at 3, a meter of its model answers at 7: the fix offers 7."""
    heat_pump = replace(valid_meters()[Role.HEAT_PUMP], reachable=False, address=3, model="sdm120")
    snapshot = replace(valid_home(heat_pump=heat_pump), scan=(ScanHit(7, "sdm120"),))
    findings = validate(snapshot).findings
    assert codes(findings) == ["modbus_address_wrong"]
    assert findings[0].meter_ids == ("heat_pump",)
    assert findings[0].translation_placeholders == {"address": "3", "found_address": "7"}


@pytest.mark.parametrize(
    "scan",
    [
        (),
        (ScanHit(7, "sdm630"),),  # another model
        (ScanHit(2, "sdm120"),),  # the PV meter's own address
    ],
)
def test_no_address_to_offer_leaves_the_meter_unreachable(scan: tuple[ScanHit, ...]) -> None:
    pv = replace(valid_meters()[Role.PV], address=2, model="sdm120")
    heat_pump = replace(valid_meters()[Role.HEAT_PUMP], reachable=False, address=3, model="sdm120")
    snapshot = replace(valid_home(pv=pv, heat_pump=heat_pump), scan=scan)
    assert codes(validate(snapshot).findings) == ["meter_unreachable"]


def test_two_silent_meters_are_offered_different_addresses() -> None:
    heat_pump = replace(valid_meters()[Role.HEAT_PUMP], reachable=False, address=3, model="sdm120")
    ventilation = replace(
        valid_meters()[Role.VENTILATION], reachable=False, address=4, model="sdm120"
    )
    snapshot = replace(
        valid_home(heat_pump=heat_pump, ventilation=ventilation),
        scan=(ScanHit(9, "sdm120"), ScanHit(8, "sdm120")),
    )
    found = {
        f.meter_ids[0]: f.translation_placeholders["found_address"]
        for f in check_modbus_addresses(snapshot)
    }
    assert found == {"heat_pump": "8", "ventilation": "9"}


def test_no_address_is_offered_while_the_bus_is_down() -> None:
    heat_pump = replace(valid_meters()[Role.HEAT_PUMP], reachable=False, address=3, model="sdm120")
    snapshot = replace(
        valid_home(heat_pump=heat_pump),
        scan=(ScanHit(7, "sdm120"),),
        buses=_buses(modbus=BusCondition.DOWN),
    )
    assert check_modbus_addresses(snapshot) == []
