"""The `benext.validate` action: an installation's verdict and findings, as a user reads them."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest

from custom_components.benext.const import DOMAIN
from tests import setup_integration
from tests.p1_helpers import wait_for
from tests.peers import ModbusTcpPeer, P1TelegramServer
from tests.validation_helpers import benext_home, validate
from tests.wmbus_fixtures import WMBUS_FIXTURES
from tests.wmbus_helpers import ClientFactory, endpoint_url, meter_of
from tests.wmbus_peers import (
    async_post_with_wmbusmeters,
    async_post_wrong_key_telegram,
    wmbus_entry,
)

ENCRYPTED_WATER, HEAT, ROOM = WMBUS_FIXTURES[0], WMBUS_FIXTURES[7], WMBUS_FIXTURES[10]


def role_missing(role: str) -> dict[str, Any]:
    """The finding of a NOM role no meter fills."""
    return {
        "code": "role_missing",
        "category": "configuration",
        "meters": [],
        "placeholders": {"role": role},
    }


async def test_benext_home_without_wireless_meters(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """Every meter answers; the heat meters and the room sensor are missing; no data counted yet."""
    entry = benext_home(p1_server, modbus_server)
    assert await setup_integration(hass, entry)
    await wait_for(hass, "product_status", "ok")

    response = await validate(hass, entry.entry_id)

    assert response == {
        "overall": "failed",
        "validation_start": ANY,
        "validation_date": None,
        "categories": {
            "reachability": "passed",
            "values_forwarded": "passed",
            "configuration": "failed",
            "data_correctness": "pending",
            "common_fault": "passed",
        },
        "findings": [
            role_missing("hot_tap_water"),
            role_missing("indoor_climate"),
            role_missing("space_heating"),
        ],
    }


async def test_bus_down_is_a_reachability_finding(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """The RS485 converter is unplugged: the bus is the finding, not each of its meters."""
    entry = benext_home(p1_server, modbus_server)
    assert await setup_integration(hass, entry)
    await wait_for(hass, "product_status", "ok")

    await modbus_server.stop()
    await entry.runtime_data.buses["modbus"].async_refresh()
    await hass.async_block_till_done()
    response = await validate(hass, entry.entry_id)

    assert response["overall"] == "failed"
    assert response["categories"]["reachability"] == "failed"
    reachability = [f for f in response["findings"] if f["category"] == "reachability"]
    assert reachability == [
        {
            "code": "bus_offline",
            "category": "reachability",
            "meters": [],
            "placeholders": {"bus": "modbus"},
        }
    ]


@pytest.mark.usefixtures("socket_enabled")
async def test_wireless_meters_fill_their_roles_and_show_a_wrong_key(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """The heat meter and room sensor fill their roles; a meter the key fails is named."""
    water = meter_of(ENCRYPTED_WATER)
    entry = wmbus_entry([meter_of(HEAT), meter_of(ROOM), water])
    assert await setup_integration(hass, entry)
    url = await endpoint_url(hass, hass_client_no_auth)

    await async_post_with_wmbusmeters(url, [HEAT, ROOM])
    await async_post_wrong_key_telegram(await hass_client_no_auth(), ENCRYPTED_WATER, "00" * 16)
    await hass.async_block_till_done()
    response = await validate(hass, entry.entry_id)

    assert response["categories"]["reachability"] == "passed"
    missing = [
        f["placeholders"]["role"] for f in response["findings"] if f["code"] == "role_missing"
    ]
    assert missing == ["grid", "heat_pump", "hot_tap_water", "pv", "ventilation"]
    assert [f for f in response["findings"] if f["category"] == "common_fault"] == [
        {
            "code": "wrong_aes_key",
            "category": "common_fault",
            "meters": [f"cold_water · wM-Bus {water.meter_id}"],
            "placeholders": {},
        }
    ]


async def test_unknown_installation_is_refused(hass: HomeAssistant) -> None:
    """An id that names no BeNext installation gets a translated error."""
    assert await async_setup_component(hass, DOMAIN, {})

    with pytest.raises(ServiceValidationError) as err:
        await validate(hass, "no-such-entry")

    assert err.value.translation_key == "installation_not_found"
    assert str(err.value) == "There is no BeNext installation with id no-such-entry"


async def test_unloaded_installation_is_refused(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """An installation that is not running cannot be validated: the error says so."""
    entry = benext_home(p1_server, modbus_server)
    assert await setup_integration(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED

    with pytest.raises(ServiceValidationError) as err:
        await validate(hass, entry.entry_id)

    assert err.value.translation_key == "installation_not_loaded"
    assert str(err.value) == (
        "The installation Demo home is not loaded: validate it once it has started"
    )
