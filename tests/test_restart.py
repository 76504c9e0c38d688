"""After a restart every meter shows what it showed before, at once, until it is heard again."""

from __future__ import annotations

from dataclasses import replace
import json
from typing import Any

from aiohttp.test_utils import TestClient
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import mock_restore_cache_with_extra_data

from custom_components.benext.const import DOMAIN
from tests import setup_integration
from tests.wmbus_fixtures import WMBUS_FIXTURES
from tests.wmbus_helpers import ClientFactory, meter_of
from tests.wmbus_peers import TOKEN, WEBHOOK_ID, Meter, wmbus_entry

pytestmark = pytest.mark.usefixtures("socket_enabled")

WATER = WMBUS_FIXTURES[1]  # Kamstrup Multical 21 44556677
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def restore_sensor(
    hass: HomeAssistant, meter: Meter, key: str, state: State, extra: dict[str, Any]
) -> None:
    """A meter's sensor as it was stored before a restart, under the state's entity id."""
    er.async_get(hass).async_get_or_create(
        "sensor",
        DOMAIN,
        f"{meter.subentry_id}_{key}",
        suggested_object_id=state.entity_id.split(".")[1],
    )
    mock_restore_cache_with_extra_data(hass, [(state, extra)])


async def post_and_read(
    hass: HomeAssistant, client: TestClient, body: dict[str, Any], entity_id: str
) -> str | None:
    """Post one telegram to the endpoint; the state the entity then shows."""
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", data=json.dumps(body), headers=AUTH)
    assert response.status == 200
    await hass.async_block_till_done()
    state = hass.states.get(entity_id)
    return state.state if state is not None else None


async def test_values_alarms_and_tick_come_back_at_once(hass: HomeAssistant) -> None:
    """No "unavailable" and no "no data" while the meter's next telegram is on its way."""
    # The fields its telegrams carried before the restart, as the subentry keeps them.
    meter = replace(meter_of(WATER), fields=("total_m3", "flow_temperature_c", "status"))
    prefix = f"{meter.subentry_id}_"
    restored = {
        ("sensor", "flow_temperature_c"): (
            State("sensor.restored_water_temperature", "11.0"),
            {"native_value": 11.0, "native_unit_of_measurement": "°C"},
        ),
        ("binary_sensor", "leak_alarm"): (
            State("binary_sensor.restored_leak", STATE_ON, {"duration": "1-8 hours"}),
            {},
        ),
        ("sensor", "product_status"): (State("sensor.restored_tick", "ok"), {}),
    }
    registry = er.async_get(hass)
    for (platform, key), (state, _) in restored.items():
        registry.async_get_or_create(
            platform,
            DOMAIN,
            prefix + key,
            suggested_object_id=state.entity_id.split(".")[1],
        )
    mock_restore_cache_with_extra_data(hass, list(restored.values()))

    assert await setup_integration(hass, wmbus_entry([meter]))

    temperature = hass.states.get("sensor.restored_water_temperature")
    assert temperature is not None
    assert temperature.state == "11.0"
    leak = hass.states.get("binary_sensor.restored_leak")
    assert leak is not None
    assert leak.state == STATE_ON
    assert leak.attributes["duration"] == "1-8 hours"
    tick = hass.states.get("sensor.restored_tick")
    assert tick is not None
    assert tick.state == "ok"
    # The bus waits for the meter's next telegram: nothing is down.
    hub = hass.states.get("sensor.flat_12_status")
    assert hub is not None
    assert hub.state == "waiting"


async def test_a_stored_no_sensor_marker_is_not_shown_again(hass: HomeAssistant) -> None:
    """A Kamstrup's 127 °C ("no such sensor") kept from before is no value after a restart."""
    meter = replace(meter_of(WATER), fields=("total_m3", "flow_temperature_c"))
    restore_sensor(
        hass,
        meter,
        "flow_temperature_c",
        State("sensor.stored_water_temperature", "127"),
        {"native_value": 127, "native_unit_of_measurement": "°C"},
    )

    assert await setup_integration(hass, wmbus_entry([meter]))

    temperature = hass.states.get("sensor.stored_water_temperature")
    assert temperature is not None
    assert temperature.state != "127"


async def test_a_heat_cost_allocator_starts_again_at_its_set_date(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """Last year's 500 units were restored; the new year's count from 0 is shown, a glitch not."""
    allocator = WMBUS_FIXTURES[12]  # Qundis Q caloric 78563412, set date 2018-12-31
    meter = replace(meter_of(allocator), fields=("current_consumption_hca", "set_date"))
    entity_id = "sensor.restored_allocator_units"
    restore_sensor(
        hass,
        meter,
        "current_consumption_hca",
        State(entity_id, "500"),
        {"native_value": 500, "native_unit_of_measurement": None, "cycle": "2017-12-31"},
    )
    assert await setup_integration(hass, wmbus_entry([meter]))
    client = await hass_client_no_auth()

    async def post(units: int, set_date: str, second: int) -> str | None:
        body = {
            **allocator.expected,
            "current_consumption_hca": units,
            "set_date": set_date,
            "timestamp": f"2026-11-22T10:00:{second:02d}Z",
        }
        return await post_and_read(hass, client, body, entity_id)

    # Still the year the restored 500 belongs to: a lower count is a glitch.
    assert await post(3, "2017-12-31", 0) == "500"
    # The set date moved on: the allocator counts the new year from 0.
    assert await post(3, "2018-12-31", 1) == "3.0"
    assert await post(5, "2018-12-31", 2) == "5.0"


async def test_heat_energy_stored_in_kwh_comes_back_in_gj(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """A heat meter's energy stored in kWh (before it was shown in GJ) is its floor in GJ."""
    heat = next(f for f in WMBUS_FIXTURES if f.driver == "qualcosonic")
    meter = replace(meter_of(heat), fields=("total_heat_energy_kwh",))
    entity_id = "sensor.restored_heat_energy"
    restore_sensor(
        hass,
        meter,
        "total_heat_energy_kwh",
        State(entity_id, "48.009996"),
        {"native_value": 13336.11, "native_unit_of_measurement": "kWh"},
    )
    assert await setup_integration(hass, wmbus_entry([meter]))
    state = hass.states.get(entity_id)
    assert state is not None
    assert (state.state, state.attributes["unit_of_measurement"]) == ("48.009996", "GJ")
    client = await hass_client_no_auth()

    async def post(kwh: float, second: int) -> str | None:
        body = {**heat.expected, "total_heat_energy_kwh": kwh}
        body["timestamp"] = f"2026-11-22T10:00:{second:02d}Z"
        return await post_and_read(hass, client, body, entity_id)

    # Below the restored floor (in kWh): a glitch. Above it: shown at the meter's resolution.
    assert await post(13000.0, 0) == "48.009996"
    assert await post(13336.2, 1) == "48.01032"
