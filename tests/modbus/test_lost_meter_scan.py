"""A kWh meter that does not answer at its address: the bus is scanned, and the validation
names the address where a meter of its model answers instead.

The meters answer on a real Modbus TCP server on loopback (tests/peers.py).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import DOMAIN, SUBENTRY_KWH_METER
from simulated_home.kwh_meters import MeterModel, MeterReadings, SimulatedKwhMeter
from tests import setup_integration
from tests.modbus_helpers import modbus_meter_subentry
from tests.peers import ModbusTcpPeer, network
from tests.validation_helpers import validate

pytestmark = pytest.mark.usefixtures("socket_enabled")


def sdm220_at(address: int) -> SimulatedKwhMeter:
    """An Eastron SDM220 as it comes out of its box, or set to `address`."""
    return SimulatedKwhMeter(
        MeterModel.EASTRON_SDM220,
        address,
        serial=22_110_456,
        readings=MeterReadings.from_power(
            1640.0, three_phase=False, import_kwh=3512.8, export_kwh=0.0
        ),
    )


@pytest.fixture
async def factory_addressed_bus() -> AsyncGenerator[ModbusTcpPeer]:
    """The heat pump's SDM220 still at address 1, where it answers out of its box."""
    server = ModbusTcpPeer([sdm220_at(1)])
    await server.start()
    yield server
    await server.stop()


def heat_pump_at_3(server: ModbusTcpPeer, model: str = "eastron_sdm220") -> MockConfigEntry:
    """The installer set the heat pump's meter up at BeNext's address 3."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(server.port)}},
        options={"modbus_poll_interval": 30, "modbus_failed_polls": 1},
        subentries_data=[modbus_meter_subentry("heat_pump", 3, model)],
    )


def address_findings(response: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        found
        for found in response["findings"]
        if found["code"] in ("modbus_address_wrong", "meter_unreachable")
    ]


MISADDRESSED_HEAT_PUMP = {
    "code": "modbus_address_wrong",
    "category": "common_fault",
    "meters": ["Heat pump · Modbus 3"],
    "placeholders": {"address": "3", "found_address": "1"},
}


async def test_silent_meter_is_found_at_another_address(
    hass: HomeAssistant, factory_addressed_bus: ModbusTcpPeer
) -> None:
    """Nothing answers at 3, an SDM220 answers at 1: the validation offers address 1."""
    entry = heat_pump_at_3(factory_addressed_bus)
    assert await setup_integration(hass, entry)
    coordinator = entry.runtime_data.buses["modbus"]

    # The scan runs between the polls, in the background.
    await hass.async_block_till_done(wait_background_tasks=True)

    assert address_findings(await validate(hass, entry.entry_id)) == [MISADDRESSED_HEAT_PUMP]
    # Storing what the scan found reloaded nothing.
    assert entry.runtime_data.buses["modbus"] is coordinator


async def test_a_rebrand_on_the_same_register_map_is_found(
    hass: HomeAssistant, factory_addressed_bus: ModbusTcpPeer
) -> None:
    """An SDM120 is found as the SDM220 its register map suggests: still offered."""
    entry = heat_pump_at_3(factory_addressed_bus, model="eastron_sdm120")
    assert await setup_integration(hass, entry)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert address_findings(await validate(hass, entry.entry_id)) == [MISADDRESSED_HEAT_PUMP]


async def test_what_a_scan_found_survives_a_restart(
    hass: HomeAssistant, factory_addressed_bus: ModbusTcpPeer
) -> None:
    """Right after a restart the validation offers address 1, before the bus is scanned anew."""
    entry = heat_pump_at_3(factory_addressed_bus)
    assert await setup_integration(hass, entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await hass.config_entries.async_unload(entry.entry_id)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    # The new scan waits half a second at each of the eight empty addresses: still running.
    assert address_findings(await validate(hass, entry.entry_id)) == [MISADDRESSED_HEAT_PUMP]


async def test_no_other_meter_leaves_the_meter_unreachable(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """The BeNext meters answer at 2, 3 and 4; one configured at 9 is just unreachable."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
        options={"modbus_poll_interval": 30, "modbus_failed_polls": 1},
        subentries_data=[
            modbus_meter_subentry("pv", 2, "eastron_sdm630"),
            modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
            modbus_meter_subentry("auxiliary", 9, "eastron_sdm220"),
        ],
    )
    assert await setup_integration(hass, entry)
    await hass.async_block_till_done(wait_background_tasks=True)

    response = await validate(hass, entry.entry_id)

    # The ventilation meter at 4 is an SDM220 no meter claims: that is where the one at 9 is.
    assert address_findings(response) == [
        {
            "code": "modbus_address_wrong",
            "category": "common_fault",
            "meters": ["Auxiliary · Modbus 9"],
            "placeholders": {"address": "9", "found_address": "4"},
        }
    ]


async def test_the_flow_scan_is_kept_for_the_validation(
    hass: HomeAssistant, factory_addressed_bus: ModbusTcpPeer
) -> None:
    """A scan in the kWh meter flow stores what answered, even when nothing is added."""
    entry = heat_pump_at_3(factory_addressed_bus)
    entry.add_to_hass(hass)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_KWH_METER), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "scan"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"first_address": 1, "last_address": 2}
    )
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    await hass.async_block_till_done()
    result = await hass.config_entries.subentries.async_configure(result["flow_id"])
    assert result["step_id"] == "scan_result"

    assert entry.data["modbus_scan"] == [{"address": 1, "model": "eastron_sdm220"}]
