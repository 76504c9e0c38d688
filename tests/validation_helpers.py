"""The validation as the tests see it: the `benext.validate` action, its issues, its runs."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.benext.const import CONF_MODBUS_POLL_INTERVAL, DOMAIN
from tests.modbus_helpers import modbus_meter_subentry
from tests.p1_helpers import smart_meter_subentry
from tests.peers import ModbusTcpPeer, P1TelegramServer, network

# How far the clock moves at a time while time passes in a test.
TELEGRAM_GAP = timedelta(seconds=10)
# How many rounds of the loop the peers' messages may take to arrive.
IO_ROUNDS = 20


async def validate(hass: HomeAssistant, entry_id: str) -> dict[str, Any]:
    """What `benext.validate` returns for the installation, without the first sightings.

    Each finding's `first_seen` (when its grace period began) is checked to be a moment,
    then dropped, so that a test compares what was found.
    """
    response = await hass.services.async_call(
        DOMAIN, "validate", {"config_entry_id": entry_id}, blocking=True, return_response=True
    )
    assert response is not None
    result = dict(response)
    for found in result["findings"]:
        assert dt_util.parse_datetime(found.pop("first_seen")) is not None
    return result


def validation_issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    """The validation's repair issues, by id."""
    return {
        issue_id: issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue_id.startswith("validation_")
    }


def state(hass: HomeAssistant, entity_id: str) -> str:
    """What an entity shows."""
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found.state


async def settle(hass: HomeAssistant) -> None:
    """Run what is due, and let what the peers sent arrive.

    With the clock frozen, the loop's own timers stand still too: only I/O moves things on.
    """
    for _ in range(IO_ROUNDS):
        await hass.async_block_till_done()
        await asyncio.sleep(0)


async def until_validated(hass: HomeAssistant, entity_id: str) -> None:
    """Let the first validation, which set-up starts in the background, show on `entity_id`.

    It may wait for the recorder's thread: up to five seconds on the real clock, which the
    loop's frozen timers cannot measure.
    """
    for _ in range(500):
        await settle(hass)
        if (shown := hass.states.get(entity_id)) is not None and shown.state != "unknown":
            return
        await asyncio.to_thread(time.sleep, 0.01)
    raise AssertionError(f"{entity_id} never showed a validation")


async def run_for(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    duration: timedelta,
    step: timedelta = TELEGRAM_GAP,
) -> None:
    """Let `duration` pass, `step` by `step`: the polls and validations due by then run.

    The frozen clock also drives the peers' pauses: short steps let the smart meter's
    telegrams keep arriving, as the P1 reader gives up after 30 s of silence.
    """
    passed = timedelta()
    while passed < duration:
        step = min(step, duration - passed)
        freezer.tick(step)
        async_fire_time_changed(hass)
        await settle(hass)
        passed += step


def benext_home(
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
    *others: dict[str, Any],
    wmbus_webhook_id: str | None = None,
) -> MockConfigEntry:
    """The smart meter and BeNext's three kWh meters, and the `others`.

    With a webhook id, the installation also has wmbusmeters posting to that endpoint.
    """
    data: dict[str, Any] = {
        "p1": {"transport": "network", "network": network(p1_server.port)},
        "modbus": {"transport": "tcp", "network": network(modbus_server.port)},
    }
    if wmbus_webhook_id is not None:
        data["wmbus"] = {"transport": "http", "webhook_id": wmbus_webhook_id}
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data=data,
        options={CONF_MODBUS_POLL_INTERVAL: 30},
        subentries_data=[
            smart_meter_subentry(p1_server.telegram),
            modbus_meter_subentry("pv", 2, "eastron_sdm630"),
            modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
            modbus_meter_subentry("ventilation", 4, "eastron_sdm220"),
            *others,
        ],
    )
