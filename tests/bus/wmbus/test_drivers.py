"""The wmbusmeters drivers BeNext knows, and the canonical name of a printed driver."""

from __future__ import annotations

import pytest

from custom_components.benext.bus.wmbus.drivers import (
    KNOWN_DRIVERS,
    SELECTABLE_DRIVERS,
    DriverInfo,
    MeterKind,
    canonical_driver,
    driver_info,
)
from tests.wmbus_fixtures import WMBUS_FIXTURES, WmbusFixture, fixture_id

FIXTURE_KINDS = {
    "multical21": MeterKind.WATER,
    "flowiq2200": MeterKind.WATER,
    "q400": MeterKind.WATER,
    "qualcosonic": MeterKind.HEAT,
    "cma12w": MeterKind.ROOM,
    "lansenth": MeterKind.ROOM,
    "qcaloric": MeterKind.HEAT_COST,
    "fhkvdataiii": MeterKind.HEAT_COST,
}


@pytest.mark.parametrize("fixture", WMBUS_FIXTURES, ids=fixture_id)
def test_printed_driver_of_both_versions(fixture: WmbusFixture) -> None:
    """2.0.0's and 3.0.0's "meter" (kamwater included) give the fixture's 2.0.0 driver."""
    for json in (fixture.expected, fixture.expected_3):
        fields = [name for name in json if name != "meter"]
        assert canonical_driver(json["meter"], fields) == fixture.driver
    assert driver_info(fixture.driver).kind is FIXTURE_KINDS[fixture.driver]


def test_kamwater_without_fields_is_a_flowiq() -> None:
    """Only Multical 21 fields (its info code and alarm durations) make kamwater a Multical 21."""
    assert canonical_driver("kamwater", []) == "flowiq2200"
    assert canonical_driver("KAMWATER", ["total_m3", "status"]) == "flowiq2200"
    for name in ("current_status", "time_dry", "time_reversed", "time_leaking", "time_bursting"):
        assert canonical_driver("kamwater", ["total_m3", name]) == "multical21"


@pytest.mark.parametrize(
    ("printed", "driver"),
    [("whe5x", "qcaloric"), ("whe46x", "qcaloric"), ("Q400", "q400"), ("izar", "izar")],
)
def test_aliases_and_case(printed: str, driver: str) -> None:
    """Aliases become their driver; other names are only lower-cased."""
    assert canonical_driver(printed, ["total_m3"]) == driver


def test_known_drivers() -> None:
    """Each known driver under its own name, with its maker and product."""
    assert all(name == info.driver for name, info in KNOWN_DRIVERS.items())
    assert driver_info("qualcosonic") == DriverInfo(
        "qualcosonic", MeterKind.HEAT, "Axioma", "Qalcosonic E3/E4"
    )
    assert driver_info("q400") == DriverInfo("q400", MeterKind.WATER, "Axioma", "Qalcosonic W1")
    assert driver_info("multical21").model == "Multical 21"
    assert driver_info("flowiq2200").model == "flowIQ 2200"
    assert driver_info("cma12w") == DriverInfo("cma12w", MeterKind.ROOM, "Elvaco", "CMa12w")
    assert driver_info("hydrocalm3").manufacturer == "B METERS"
    assert {driver_info(d).manufacturer for d in ("qcaloric", "sontex868", "fhkvdataiv")} == {
        "Qundis",
        "Sontex",
        "Techem",
    }


def test_unknown_driver_is_mapped_generically() -> None:
    """A driver BeNext does not know is OTHER, with no maker or model."""
    assert driver_info("izar") == DriverInfo("izar", MeterKind.OTHER, None, None)


def test_selectable_drivers() -> None:
    """Every known driver once, heat meters first and heat cost allocators last."""
    assert sorted(SELECTABLE_DRIVERS) == sorted(KNOWN_DRIVERS)
    assert len(set(SELECTABLE_DRIVERS)) == len(SELECTABLE_DRIVERS)
    kinds = [driver_info(driver).kind for driver in SELECTABLE_DRIVERS]
    order = [MeterKind.HEAT, MeterKind.WATER, MeterKind.ROOM, MeterKind.HEAT_COST]
    assert kinds == sorted(kinds, key=order.index)
    assert "auto" not in SELECTABLE_DRIVERS
