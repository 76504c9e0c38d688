"""What the wireless meters' telegrams tell the validation, as `benext.validate` returns it.

The real wmbusmeters decodes each telegram and posts it to the installation's endpoint.
The error code, the room's temperature, reverse flow and a falling total come from
synthetic variants of the fixtures' telegrams (tests/wmbus_variants.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from tests import setup_integration
from tests.validation_helpers import validate
from tests.wmbus_fixtures import WmbusFixture
from tests.wmbus_helpers import ClientFactory, endpoint_url, meter_of
from tests.wmbus_peers import async_post_with_wmbusmeters, wmbus_entry
from tests.wmbus_variants import (
    CMA12W,
    MULTICAL21,
    QALCOSONIC_E4,
    cma12w,
    multical21,
    qalcosonic_e4,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")


def findings_of(response: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [found for found in response["findings"] if found["code"] == code]


class Installation:
    """One installation with one wireless meter, whose telegrams wmbusmeters posts."""

    def __init__(self, hass: HomeAssistant, url: str, entry_id: str) -> None:
        self.hass = hass
        self.url = url
        self.entry_id = entry_id

    async def post(self, telegram: WmbusFixture) -> None:
        await async_post_with_wmbusmeters(self.url, [telegram])
        await self.hass.async_block_till_done()

    async def findings(self, code: str) -> list[dict[str, Any]]:
        return findings_of(await validate(self.hass, self.entry_id), code)


async def installation_with(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory, fixture: WmbusFixture
) -> Installation:
    entry = wmbus_entry([meter_of(fixture)])
    assert await setup_integration(hass, entry)
    return Installation(hass, await endpoint_url(hass, hass_client_no_auth), entry.entry_id)


async def test_heat_meter_error_code(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """No temperature difference (4000) is no fault; a supply sensor fault (0080) is."""
    home = await installation_with(hass, hass_client_no_auth, QALCOSONIC_E4)

    await home.post(qalcosonic_e4(0x4000))
    assert await home.findings("heat_meter_error") == []

    await home.post(qalcosonic_e4(0x0080))
    assert await home.findings("heat_meter_error") == [
        {
            "code": "heat_meter_error",
            "category": "common_fault",
            "meters": ["space_heating · wM-Bus 29481002"],
            "placeholders": {"code": "0080"},
        }
    ]


async def test_room_temperature(hass: HomeAssistant, hass_client_no_auth: ClientFactory) -> None:
    """The room sensor's temperature is judged against BeNext's 15-25 °C."""
    home = await installation_with(hass, hass_client_no_auth, CMA12W)

    await home.post(CMA12W)
    assert await home.findings("indoor_temperature_out_of_band") == []

    await home.post(cma12w(31.0))
    assert await home.findings("indoor_temperature_out_of_band") == [
        {
            "code": "indoor_temperature_out_of_band",
            "category": "data_correctness",
            "meters": ["indoor_climate · wM-Bus 66666666"],
            "placeholders": {"temperature": "31", "low": "15", "high": "25"},
        }
    ]


def reversed_water_meter(reason: str) -> dict[str, Any]:
    return {
        "code": "water_meter_reversed",
        "category": "common_fault",
        "meters": ["cold_water · wM-Bus 76348799"],
        "placeholders": {"reason": reason},
    }


async def test_reverse_flow_alarm(hass: HomeAssistant, hass_client_no_auth: ClientFactory) -> None:
    """The Multical 21 says REVERSE: mounted against the flow, until the alarm stops."""
    home = await installation_with(hass, hass_client_no_auth, MULTICAL21)

    await home.post(multical21(info_code=0x0002))
    assert await home.findings("water_meter_reversed") == [reversed_water_meter("reverse_flow")]

    await home.post(multical21(info_code=0x0000))
    assert await home.findings("water_meter_reversed") == []


async def test_falling_total(hass: HomeAssistant, hass_client_no_auth: ClientFactory) -> None:
    """A volume below the last one is a finding until the meter counts past it again."""
    home = await installation_with(hass, hass_client_no_auth, MULTICAL21)

    await home.post(multical21(total_litres=6408))
    await home.post(multical21(total_litres=4096))
    assert await home.findings("water_meter_reversed") == [reversed_water_meter("falling_total")]

    await home.post(multical21(total_litres=6500))
    assert await home.findings("water_meter_reversed") == []


def sparse(telegrams_per_hour: str) -> dict[str, Any]:
    return {
        "code": "sensor_in_wrong_house",
        "category": "common_fault",
        "meters": ["indoor_climate · wM-Bus 66666666"],
        "placeholders": {
            "reason": "sparse_telegrams",
            "rssi_dbm": "",
            "telegrams_per_hour": telegrams_per_hour,
        },
    }


async def test_sparse_telegrams(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory, freezer: FrozenDateTimeFactory
) -> None:
    """A room sensor heard twice in 65 minutes is probably the neighbours'; judged after an hour."""
    home = await installation_with(hass, hass_client_no_auth, CMA12W)

    await home.post(cma12w(21.0))
    freezer.tick(timedelta(minutes=40))
    await home.post(cma12w(21.5))
    assert await home.findings("sensor_in_wrong_house") == []

    freezer.tick(timedelta(minutes=25))
    assert await home.findings("sensor_in_wrong_house") == [sparse("0.92")]


async def test_regular_telegrams(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory, freezer: FrozenDateTimeFactory
) -> None:
    """A room sensor heard every 15 minutes for an hour and a half is the home's own."""
    home = await installation_with(hass, hass_client_no_auth, CMA12W)

    for quarter in range(7):
        await home.post(cma12w(20.0 + quarter / 10))
        freezer.tick(timedelta(minutes=15))

    assert await home.findings("sensor_in_wrong_house") == []
