"""An existing sensor in a role counts in the validation like a meter of the installation's own."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.benext.bus.connection import Bus
from custom_components.benext.const import DOMAIN
from custom_components.benext.meter_bus import CountedStatistics
from custom_components.benext.meter_buses import METER_BUSES
from tests import setup_integration
from tests.existing_helpers import (
    HEAT_PUMP_ENERGY,
    ROOM_SENSOR,
    existing_entity_subentry,
    set_heat_pump_energy,
    set_room_temperature,
    start_flow,
    submit,
    tick,
)
from tests.modbus_helpers import modbus_meter_subentry
from tests.p1_helpers import wait_for
from tests.peers import ModbusTcpPeer, P1TelegramServer, network
from tests.test_validate_service import role_missing
from tests.validation_helpers import benext_home, validate

ROOM = "Living room temperature · Indoor climate"


async def benext_home_with_room_sensor(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> tuple[MockConfigEntry, str]:
    """BeNext's home whose living room sensor is a Zigbee one, added as an existing sensor."""
    entry = benext_home(p1_server, modbus_server)
    assert await setup_integration(hass, entry)
    await wait_for(hass, "product_status", "ok")
    set_room_temperature(hass, "21.5")
    await submit(hass, await start_flow(hass, entry), {"entity_id": ROOM_SENSOR})
    await hass.async_block_till_done()
    await wait_for(hass, "product_status", "ok")
    subentry_id = next(s.subentry_id for s in entry.subentries.values() if s.title == ROOM)
    return entry, subentry_id


def findings(response: dict[str, Any], code: str) -> list[dict[str, Any]]:
    """The findings of one kind."""
    return [found for found in response["findings"] if found["code"] == code]


async def test_room_sensor_fills_the_indoor_climate_role(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """The indoor climate is no longer missing; only the heat meters are."""
    entry, _ = await benext_home_with_room_sensor(hass, p1_server, modbus_server)

    response = await validate(hass, entry.entry_id)

    assert response["findings"] == [role_missing("hot_tap_water"), role_missing("space_heating")]
    assert response["categories"]["reachability"] == "passed"
    assert response["categories"]["values_forwarded"] == "passed"


async def test_warm_room_is_out_of_band_in_celsius_or_fahrenheit(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """30 °C in the living room is outside 15-25 °C, and so is 86 °F."""
    entry, _ = await benext_home_with_room_sensor(hass, p1_server, modbus_server)
    out_of_band = {
        "code": "indoor_temperature_out_of_band",
        "category": "data_correctness",
        "meters": [ROOM],
        "placeholders": {"temperature": "30", "low": "15", "high": "25"},
    }

    set_room_temperature(hass, "30")
    await hass.async_block_till_done()
    assert findings(await validate(hass, entry.entry_id), out_of_band["code"]) == [out_of_band]

    set_room_temperature(hass, "86", unit="°F")
    await hass.async_block_till_done()
    assert findings(await validate(hass, entry.entry_id), out_of_band["code"]) == [out_of_band]

    set_room_temperature(hass, "68", unit="°F")
    await hass.async_block_till_done()
    assert findings(await validate(hass, entry.entry_id), out_of_band["code"]) == []


async def test_unavailable_sensor_is_unreachable_with_no_data(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """The Zigbee sensor's battery died: the sensor is the finding, and its tick says no data."""
    entry, subentry_id = await benext_home_with_room_sensor(hass, p1_server, modbus_server)

    hass.states.async_set(ROOM_SENSOR, "unavailable", {"device_class": "temperature"})
    await hass.async_block_till_done()
    response = await validate(hass, entry.entry_id)

    assert response["categories"]["reachability"] == "failed"
    assert findings(response, "meter_unreachable") == [
        {
            "code": "meter_unreachable",
            "category": "reachability",
            "meters": [ROOM],
            "placeholders": {"bus": "existing"},
        }
    ]
    state = tick(hass, subentry_id)
    assert state is not None
    assert state.state == "no_data"

    set_room_temperature(hass, "21")
    await hass.async_block_till_done()
    assert (await validate(hass, entry.entry_id))["categories"]["reachability"] == "passed"
    state = tick(hass, subentry_id)
    assert state is not None
    assert state.state == "ok"


async def test_sensor_showing_no_number_forwards_no_values(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """The sensor is there but shows no number: its values are not forwarded."""
    entry, subentry_id = await benext_home_with_room_sensor(hass, p1_server, modbus_server)

    hass.states.async_set(ROOM_SENSOR, "error", {"device_class": "temperature"})
    await hass.async_block_till_done()

    assert findings(await validate(hass, entry.entry_id), "values_not_forwarded") == [
        {
            "code": "values_not_forwarded",
            "category": "values_forwarded",
            "meters": [ROOM],
            "placeholders": {"role": "indoor_climate"},
        }
    ]
    state = tick(hass, subentry_id)
    assert state is not None
    assert state.state == "no_data"


async def test_room_sensor_stays_through_a_reload(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """After a reload the sensor still fills its role, and its tick still shows data."""
    entry, subentry_id = await benext_home_with_room_sensor(hass, p1_server, modbus_server)

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await wait_for(hass, "product_status", "ok")

    assert subentry_id in entry.subentries
    response = await validate(hass, entry.entry_id)
    assert role_missing("indoor_climate") not in response["findings"]
    state = tick(hass, subentry_id)
    assert state is not None
    assert state.state == "ok"


async def test_sensor_of_an_integration_that_starts_later_is_followed(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """At a restart Home Assistant may start the Zigbee integration after ours."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
        subentries_data=[
            modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
            existing_entity_subentry(ROOM_SENSOR, "indoor_climate", ROOM),
        ],
    )
    assert await setup_integration(hass, entry)
    assert findings(await validate(hass, entry.entry_id), "meter_unreachable") != []

    set_room_temperature(hass, "21.5")
    await hass.async_block_till_done()

    assert findings(await validate(hass, entry.entry_id), "meter_unreachable") == []
    state = tick(hass, "room_sensor")
    assert state is not None
    assert state.state == "ok"


async def test_removed_sensor_leaves_the_validation(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """Without the subentry the indoor climate is missing again, and its device is gone."""
    entry, subentry_id = await benext_home_with_room_sensor(hass, p1_server, modbus_server)

    assert hass.config_entries.async_remove_subentry(entry, subentry_id)
    await hass.async_block_till_done()
    await wait_for(hass, "product_status", "ok")

    response = await validate(hass, entry.entry_id)
    assert role_missing("indoor_climate") in response["findings"]
    assert Bus.EXISTING not in entry.runtime_data.buses
    assert tick(hass, subentry_id) is None
    devices = dr.async_get(hass)
    assert devices.async_get_device_by_identifier((DOMAIN, subentry_id), entry.entry_id) is None


async def test_hub_status_is_the_buses_alone(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """The RS485 bus is the installation's only bus: when it is down, the hub is offline,
    however well Home Assistant's own sensors report."""
    set_room_temperature(hass, "21.5")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
        subentries_data=[
            modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
            existing_entity_subentry(ROOM_SENSOR, "indoor_climate", ROOM),
        ],
    )
    assert await setup_integration(hass, entry)
    status = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{entry.entry_id}_status")
    assert status is not None
    assert hass.states.is_state(status, "ok")

    await modbus_server.stop()
    # The first poll loses the connection to the meter, the next cannot open it again.
    for _ in range(2):
        await entry.runtime_data.buses[Bus.MODBUS].async_refresh()
    await hass.async_block_till_done()

    assert hass.states.is_state(status, "offline")
    connectivity = [
        entity.unique_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if entity.domain == "binary_sensor" and entity.unique_id.endswith("_connectivity")
    ]
    assert connectivity == [f"{entry.entry_id}_modbus_connectivity"]


async def test_energy_sensor_counts_from_its_own_statistics(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """The heat pump integration's energy sensor is what the heat pump counted; a room
    sensor counts nothing."""
    set_heat_pump_energy(hass, "1234.5")
    set_room_temperature(hass, "21.5")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
        subentries_data=[
            existing_entity_subentry(
                HEAT_PUMP_ENERGY, "heat_pump", "Heat pump energy · Heat pump", "heat_pump"
            ),
            existing_entity_subentry(ROOM_SENSOR, "indoor_climate", ROOM),
        ],
    )
    assert await setup_integration(hass, entry)
    existing = METER_BUSES[Bus.EXISTING]

    heat_pump = existing.counted_statistics(entry, entry.subentries["heat_pump"])
    room = existing.counted_statistics(entry, entry.subentries["room_sensor"])

    assert heat_pump == CountedStatistics(amount=(HEAT_PUMP_ENERGY,))
    assert room is None


async def test_diagnostics_name_the_sensors_followed(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, modbus_server: ModbusTcpPeer
) -> None:
    """Which entity each existing sensor follows, and how it reports."""
    set_room_temperature(hass, "21.5")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
        subentries_data=[existing_entity_subentry(ROOM_SENSOR, "indoor_climate", ROOM)],
    )
    assert await setup_integration(hass, entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert diagnostics["status"] == "ok"
    assert diagnostics["buses"]["existing"] == {
        "transport": "state_machine",
        "online": True,
        "last_error": None,
        "meters_read": 1,
        "meters": {
            "room_sensor": {
                "entity_id": ROOM_SENSOR,
                "role": "indoor_climate",
                "available": True,
                "product_status": "ok",
            }
        },
    }
