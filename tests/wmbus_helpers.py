"""The wM-Bus meters of a test installation: the subentry of a fixture's meter, its entities'
states, and the installation's endpoint.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp.test_utils import TestClient
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er

from custom_components.benext.const import DOMAIN
from tests.wmbus_fixtures import WmbusFixture
from tests.wmbus_peers import WEBHOOK_ID, Meter

ROLE_OF_DRIVER = {
    "multical21": "cold_water",
    "flowiq2200": "cold_water",
    "q400": "cold_water",
    "qualcosonic": "space_heating",
    "cma12w": "indoor_climate",
    "lansenth": "indoor_climate",
    "qcaloric": "radiator",
    "fhkvdataiii": "radiator",
}

type ClientFactory = Callable[..., Awaitable[TestClient[Any, Any]]]


def meter_of(fixture: WmbusFixture) -> Meter:
    """The subentry that claims the fixture's meter."""
    return Meter(
        subentry_id=f"meter_{fixture.meter_id}",
        meter_id=fixture.meter_id,
        driver=fixture.driver,
        key=fixture.key,
        role=ROLE_OF_DRIVER[fixture.driver],
    )


def state_of(hass: HomeAssistant, platform: str, meter_id: str, key: str) -> State | None:
    """The state of a meter's entity."""
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"meter_{meter_id}_{key}")
    return hass.states.get(entity_id) if entity_id else None


async def endpoint_url(hass: HomeAssistant, hass_client_no_auth: ClientFactory) -> str:
    """The installation's endpoint, served by Home Assistant on a loopback port."""
    client = await hass_client_no_auth()
    return str(client.make_url(f"/api/webhook/{WEBHOOK_ID}"))
