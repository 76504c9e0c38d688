"""Water meter alarms: one binary sensor per alarm, and events that fire once per change."""

from __future__ import annotations

import json

from homeassistant.const import EVENT_STATE_CHANGED, STATE_OFF, STATE_ON
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
import pytest

from tests import setup_integration
from tests.wmbus_fixtures import WMBUS_FIXTURES
from tests.wmbus_helpers import ClientFactory, endpoint_url, meter_of, state_of
from tests.wmbus_peers import TOKEN, WEBHOOK_ID, async_post_with_wmbusmeters, wmbus_entry

pytestmark = pytest.mark.usefixtures("socket_enabled", "entity_registry_enabled_by_default")

MULTICAL_DRY, MULTICAL_LEAK, MULTICAL_BURST_LEAK = (WMBUS_FIXTURES[i] for i in (2, 3, 4))
FLOWIQ_OK, FLOWIQ_TAMPER, FLOWIQ_UNKNOWN_BIT = (WMBUS_FIXTURES[i] for i in (5, 14, 6))
MULTICAL_ALARMS = ("leak", "burst", "dry", "reverse")
ENDPOINT = f"/api/webhook/{WEBHOOK_ID}"


def alarm_states(hass: HomeAssistant, meter_id: str, alarms: tuple[str, ...]) -> dict[str, str]:
    """Each alarm sensor's state."""
    states = {
        alarm: state_of(hass, "binary_sensor", meter_id, f"{alarm}_alarm") for alarm in alarms
    }
    return {alarm: state.state for alarm, state in states.items() if state is not None}


def record_events(hass: HomeAssistant, meter_id: str) -> list[tuple[str, dict[str, object]]]:
    """The event entity's events as they fire: (event type, the event's data)."""
    fired: list[tuple[str, dict[str, object]]] = []
    entity = state_of(hass, "event", meter_id, "alarm_event")
    assert entity is not None

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if event.data["entity_id"] == entity.entity_id and new is not None:
            data = {k: v for k, v in new.attributes.items() if k in ("active", "duration")}
            fired.append((new.attributes["event_type"], data))

    hass.bus.async_listen(EVENT_STATE_CHANGED, changed)
    return fired


async def test_kamstrup_alarms_raise_and_clear_once_per_change(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """DRY, then LEAK, then BURST with LEAK, then DRY again: sensors follow, events fire once."""
    meter_id = MULTICAL_DRY.meter_id
    assert await setup_integration(hass, wmbus_entry([meter_of(MULTICAL_DRY)]))
    url = await endpoint_url(hass, hass_client_no_auth)

    await async_post_with_wmbusmeters(url, [MULTICAL_DRY])
    await hass.async_block_till_done()
    fired = record_events(hass, meter_id)
    assert alarm_states(hass, meter_id, MULTICAL_ALARMS) == {
        "leak": STATE_OFF,
        "burst": STATE_OFF,
        "dry": STATE_ON,
        "reverse": STATE_OFF,
    }
    dry = state_of(hass, "binary_sensor", meter_id, "dry_alarm")
    assert dry is not None
    assert dry.attributes["duration"] == "22-31 days"
    assert dry.attributes["device_class"] == "problem"
    leak = state_of(hass, "binary_sensor", meter_id, "leak_alarm")
    assert leak is not None
    assert leak.attributes["device_class"] == "moisture"
    # A Multical 21 has no tamper alarm.
    assert state_of(hass, "binary_sensor", meter_id, "tamper_alarm") is None

    await async_post_with_wmbusmeters(url, [MULTICAL_LEAK])
    await hass.async_block_till_done()
    assert alarm_states(hass, meter_id, ("leak", "dry")) == {"leak": STATE_ON, "dry": STATE_OFF}
    leak = state_of(hass, "binary_sensor", meter_id, "leak_alarm")
    assert leak is not None
    assert leak.attributes["duration"] == "2-3 days"

    await async_post_with_wmbusmeters(url, [MULTICAL_BURST_LEAK])
    await hass.async_block_till_done()
    assert alarm_states(hass, meter_id, ("leak", "burst")) == {"leak": STATE_ON, "burst": STATE_ON}

    await async_post_with_wmbusmeters(url, [MULTICAL_DRY])
    await hass.async_block_till_done()

    assert fired == [
        ("leak_started", {"active": ["leak"], "duration": "2-3 days"}),
        ("dry_stopped", {"active": ["leak"]}),
        ("burst_started", {"active": ["burst", "leak"], "duration": "1-8 hours"}),
        ("leak_stopped", {"active": ["dry"]}),
        ("burst_stopped", {"active": ["dry"]}),
        ("dry_started", {"active": ["dry"], "duration": "22-31 days"}),
    ]


async def test_flowiq_tamper_in_both_wmbusmeters_versions(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """2.0.0's ERROR_FLAGS_10 and 3.0.0's TAMPER are the same alarm; other bits are none."""
    meters = [meter_of(FLOWIQ_OK), meter_of(FLOWIQ_UNKNOWN_BIT)]
    assert await setup_integration(hass, wmbus_entry(meters))
    url = await endpoint_url(hass, hass_client_no_auth)
    alarms = ("tamper", "leak")

    await async_post_with_wmbusmeters(url, [FLOWIQ_OK, FLOWIQ_UNKNOWN_BIT])
    await hass.async_block_till_done()
    assert alarm_states(hass, FLOWIQ_OK.meter_id, alarms) == {
        "tamper": STATE_OFF,
        "leak": STATE_OFF,
    }
    assert alarm_states(hass, FLOWIQ_UNKNOWN_BIT.meter_id, alarms) == {
        "tamper": STATE_OFF,
        "leak": STATE_OFF,
    }
    tamper = state_of(hass, "binary_sensor", FLOWIQ_OK.meter_id, "tamper_alarm")
    assert tamper is not None
    assert tamper.attributes["device_class"] == "tamper"

    await async_post_with_wmbusmeters(url, [FLOWIQ_TAMPER])
    await hass.async_block_till_done()
    assert alarm_states(hass, FLOWIQ_OK.meter_id, alarms)["tamper"] == STATE_ON

    # wmbusmeters 3.0.0 prints TAMPER by name, under its driver kamwater.
    client = await hass_client_no_auth()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    ok_3 = {**FLOWIQ_OK.expected_3, "timestamp": "2099-01-01T00:00:00Z"}
    tamper_3 = {**FLOWIQ_TAMPER.expected_3, "timestamp": "2099-01-01T00:00:05Z"}
    for body in (ok_3, tamper_3):
        response = await client.post(ENDPOINT, data=json.dumps(body), headers=headers)
        assert response.status == 200
        if body is ok_3:
            await hass.async_block_till_done()
            assert alarm_states(hass, FLOWIQ_OK.meter_id, alarms)["tamper"] == STATE_OFF
    await hass.async_block_till_done()
    assert alarm_states(hass, FLOWIQ_OK.meter_id, alarms)["tamper"] == STATE_ON
