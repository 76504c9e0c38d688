"""Adding a sensor of another integration to the installation, in a role it can fill."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import DOMAIN
from tests import setup_integration
from tests.existing_helpers import (
    HEAT_PUMP_ENERGY,
    ROOM_SENSOR,
    WATER_METER,
    existing_entity_subentry,
    set_heat_pump_energy,
    set_room_temperature,
    set_water_volume,
    start_flow,
    submit,
    tick,
)
from tests.wmbus_peers import wmbus_entry

pytestmark = pytest.mark.usefixtures("socket_enabled")


def flat(*subentries: dict[str, Any]) -> MockConfigEntry:
    """A flat whose wmbusmeters posts to the installation, with these meters."""
    posting = wmbus_entry([])
    return MockConfigEntry(
        domain=DOMAIN, title=posting.title, data=posting.data, subentries_data=list(subentries)
    )


EN = Path(__file__).parents[2] / "custom_components" / "benext" / "translations" / "en.json"


def offered(result: dict[str, Any], field: str) -> list[tuple[str, str]]:
    """The options of a form's list, as (value, the English label the frontend shows)."""
    selector = next(v for k, v in result["data_schema"].schema.items() if str(k) == field)
    english = json.loads(EN.read_text(encoding="utf-8"))["selector"]
    labels = english[selector.config["translation_key"]]["options"]
    return [(value, labels[value]) for value in selector.config["options"]]


async def test_room_sensor_fills_the_indoor_climate(hass: HomeAssistant) -> None:
    """A room temperature sensor can only be the indoor climate: it is added at once."""
    entry = flat()
    assert await setup_integration(hass, entry)
    set_room_temperature(hass, "21.5")

    result = await submit(hass, await start_flow(hass, entry), {"entity_id": ROOM_SENSOR})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Living room temperature · Indoor climate"
    assert result["data"] == {"entity_id": ROOM_SENSOR, "role": "indoor_climate"}
    (subentry,) = entry.subentries.values()
    state = tick(hass, subentry.subentry_id)
    assert state is not None
    assert state.state == "ok"
    devices = dr.async_get(hass)
    device = devices.async_get_device_by_identifier((DOMAIN, subentry.subentry_id), entry.entry_id)
    hub = devices.async_get_device_by_identifier((DOMAIN, entry.entry_id), entry.entry_id)
    assert device is not None
    assert hub is not None
    assert device.name == "Living room temperature · Indoor climate"
    assert device.via_device_id == hub.id
    assert device.config_subentry_id == subentry.subentry_id
    # Home Assistant's own state machine is no link of the home: no connectivity sensor.
    assert (
        er.async_get(hass).async_get_entity_id(
            "binary_sensor", DOMAIN, f"{entry.entry_id}_existing_connectivity"
        )
        is None
    )


async def test_energy_sensor_offers_the_electricity_roles(hass: HomeAssistant) -> None:
    """A heat pump integration's energy sensor is offered as PV, heat pump, ventilation or
    auxiliary, and nothing that measures water or air."""
    entry = flat()
    assert await setup_integration(hass, entry)
    set_heat_pump_energy(hass, "1234.5")

    result = await submit(hass, await start_flow(hass, entry), {"entity_id": HEAT_PUMP_ENERGY})

    assert result["step_id"] == "role"
    assert result["description_placeholders"] == {"entity": "Heat pump energy"}
    assert offered(result, "role") == [
        ("pv", "PV"),
        ("heat_pump", "Heat pump"),
        ("ventilation", "Ventilation"),
        ("auxiliary", "Auxiliary"),
    ]
    with pytest.raises(InvalidData):
        await submit(hass, result, {"role": "hot_tap_water"})

    result = await submit(hass, result, {"role": "heat_pump"})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Heat pump energy · Heat pump"
    assert result["data"] == {"entity_id": HEAT_PUMP_ENERGY, "role": "heat_pump"}


async def test_sensor_that_fits_no_role_is_refused(hass: HomeAssistant) -> None:
    """A humidity sensor measures nothing a role needs: the form says so."""
    entry = flat()
    assert await setup_integration(hass, entry)
    hass.states.async_set("sensor.bathroom_humidity", "60", {"device_class": "humidity"})

    result = await submit(
        hass, await start_flow(hass, entry), {"entity_id": "sensor.bathroom_humidity"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"entity_id": "entity_not_suitable"}


async def test_sensor_fills_one_role_only(hass: HomeAssistant) -> None:
    """The living room sensor that is the indoor climate cannot be added a second time."""
    entry = flat(existing_entity_subentry(ROOM_SENSOR, "indoor_climate", "Living room"))
    assert await setup_integration(hass, entry)
    set_room_temperature(hass, "21.5")

    result = await submit(hass, await start_flow(hass, entry), {"entity_id": ROOM_SENSOR})

    assert result["errors"] == {"entity_id": "entity_in_use"}


async def test_reconfigure_changes_the_role_and_title(hass: HomeAssistant) -> None:
    """The water meter measures cold water after all; it cannot be the heat pump."""
    set_water_volume(hass, "12.345")
    entry = flat(
        existing_entity_subentry(
            WATER_METER, "hot_tap_water", "Water meter volume · Hot tap water", "water_meter"
        )
    )
    assert await setup_integration(hass, entry)

    result = await entry.start_subentry_reconfigure_flow(hass, "water_meter")
    schema = result["data_schema"].schema
    suggested = {str(key): key.description["suggested_value"] for key in schema}
    assert suggested == {"entity_id": WATER_METER, "role": "hot_tap_water"}

    result = await submit(hass, result, {"entity_id": WATER_METER, "role": "heat_pump"})
    assert result["errors"] == {"role": "role_not_for_entity"}

    result = await submit(hass, result, {"entity_id": WATER_METER, "role": "cold_water"})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    changed = entry.subentries["water_meter"]
    assert changed.title == "Water meter volume · Cold water"
    assert changed.data == {"entity_id": WATER_METER, "role": "cold_water"}


async def test_renamed_entity_is_still_followed(hass: HomeAssistant) -> None:
    """A registered sensor is stored by its registry id: renaming its entity id keeps it."""
    registry = er.async_get(hass)
    registered = registry.async_get_or_create(
        "sensor",
        "zwave_js",
        "node-7-air-temperature",
        suggested_object_id="living_room_temperature",
    )
    assert registered.entity_id == ROOM_SENSOR
    entry = flat()
    assert await setup_integration(hass, entry)
    set_room_temperature(hass, "21.5")

    result = await submit(hass, await start_flow(hass, entry), {"entity_id": ROOM_SENSOR})
    await hass.async_block_till_done()
    assert result["data"] == {"entity_id": registered.id, "role": "indoor_climate"}
    (subentry,) = entry.subentries.values()

    registry.async_update_entity(ROOM_SENSOR, new_entity_id="sensor.lounge_temperature")
    await hass.async_block_till_done()
    hass.states.async_set("sensor.lounge_temperature", "unavailable")
    await hass.async_block_till_done()

    state = tick(hass, subentry.subentry_id)
    assert state is not None
    assert state.state == "no_data"


async def test_only_sensors_can_fill_a_role(hass: HomeAssistant) -> None:
    """A light's entity, whatever its attributes, is not a sensor."""
    entry = flat()
    assert await setup_integration(hass, entry)
    hass.states.async_set("light.kitchen", "on", {"device_class": "temperature"})

    result = await submit(hass, await start_flow(hass, entry), {"entity_id": "light.kitchen"})

    assert result["errors"] == {"entity_id": "entity_not_suitable"}


async def test_sensor_not_started_yet_is_known_by_its_registry_entry(hass: HomeAssistant) -> None:
    """The heat pump's integration has not started: its sensor has no state, but a registry
    entry that says what it measures and what it is called."""
    registered = er.async_get(hass).async_get_or_create(
        "sensor",
        "heat_pump_cloud",
        "hp-1-energy",
        suggested_object_id="heat_pump_energy",
        original_device_class="energy",
        original_name="Heat pump energy",
    )
    entry = flat()
    assert await setup_integration(hass, entry)

    result = await submit(hass, await start_flow(hass, entry), {"entity_id": HEAT_PUMP_ENERGY})
    assert result["description_placeholders"] == {"entity": "Heat pump energy"}
    result = await submit(hass, result, {"role": "ventilation"})

    assert result["title"] == "Heat pump energy · Ventilation"
    assert result["data"] == {"entity_id": registered.id, "role": "ventilation"}
