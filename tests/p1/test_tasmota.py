"""A gPlug (Tasmota P1 reader) through the smart meter's entities: over a real mosquitto
broker and Home Assistant's MQTT integration, and polled over its HTTP API.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.bus.p1.tasmota import reading_from_tasmota
from custom_components.benext.const import CONF_P1_TOTAL_INTERVAL, DOMAIN
from custom_components.benext.diagnostics import async_get_config_entry_diagnostics
from custom_components.benext.p1 import coordinator as p1_coordinator, tasmota as p1_tasmota_reader
from custom_components.benext.p1.coordinator import P1Coordinator
from custom_components.benext.p1.settings import settings_from_reading
from tests import setup_integration
from tests.p1_fixtures import GPLUGD_SENSOR
from tests.p1_helpers import SUBENTRY_ID, state_of, wait_for
from tests.peers import network
from tests.tasmota_mqtt import SENSOR_TOPIC, TOPIC, async_setup_mqtt, sensor_message
from tests.tasmota_peers import MosquittoBroker, TasmotaHttpPeer

# mock_hass_config: the MQTT integration reads configuration.yaml, which tests lack.
pytestmark = pytest.mark.usefixtures(
    "socket_enabled", "entity_registry_enabled_by_default", "mock_hass_config"
)


def gplug_entry(p1: dict[str, Any]) -> MockConfigEntry:
    """An installation whose P1 bus is a gPlugD, with the smart meter it reads."""
    settings = settings_from_reading(reading_from_tasmota(GPLUGD_SENSOR))
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"p1": p1},
        # Every total is written at once, so that the tests need not wait 10 s between them.
        options={CONF_P1_TOTAL_INTERVAL: 0},
        subentries_data=[
            {
                "subentry_id": SUBENTRY_ID,
                "subentry_type": "smart_meter",
                "title": "Smart meter · P1",
                "unique_id": settings.serial,
                "data": settings.as_data(),
            }
        ],
    )


async def wait_rejected(coordinator: P1Coordinator, reason: str, count: int = 1) -> None:
    """Wait on the real clock until `count` payloads were rejected for `reason`."""
    deadline = time.monotonic() + 5
    while coordinator.counters.rejected.get(reason, 0) < count:
        assert time.monotonic() < deadline, coordinator.counters
        await asyncio.sleep(0.02)


async def wait_link(coordinator: P1Coordinator, *, up: bool, failure: str) -> None:
    """Wait on the real clock until the reader's link is up (or down)."""
    deadline = time.monotonic() + 5
    while coordinator.link_up is not up:
        assert time.monotonic() < deadline, failure
        await asyncio.sleep(0.02)


@pytest.fixture
def fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Poll every 50 ms, wait 200 ms for an answer, lose the link after 1.5 s of none."""
    monkeypatch.setattr(p1_tasmota_reader, "HTTP_POLL_INTERVAL", 0.05)
    monkeypatch.setattr(p1_tasmota_reader, "HTTP_TIMEOUT", 0.2)
    monkeypatch.setattr(p1_tasmota_reader, "HTTP_SILENCE", 1.5)
    monkeypatch.setattr(p1_coordinator, "RECONNECT_MIN", 0.05)


async def test_mqtt_sensor_messages_through_the_entities(
    hass: HomeAssistant, broker: MosquittoBroker
) -> None:
    """SENSOR messages become power in W, totals in kWh and voltages; glitches change nothing."""
    mqtt_entry = await async_setup_mqtt(hass, broker)
    entry = gplug_entry({"transport": "tasmota_mqtt", "topic": TOPIC})
    # Retained, so that it reaches the subscription whenever that is made.
    await broker.publish(SENSOR_TOPIC, sensor_message(), retain=True)
    try:
        assert await setup_integration(hass, entry)
        coordinator = entry.runtime_data.buses["p1"]
        assert coordinator is not None
        await wait_for(hass, "energy_import_t1", "18752.361")
        await wait_for(hass, "power_export", "14421.0")
        await wait_for(hass, "voltage_l1", "229.1")
        await wait_for(hass, "voltage_l2", "229.5")
        await wait_for(hass, "power_export_l1", "4954.0")
        await wait_for(hass, "current_l3", "20.0")
        total = state_of(hass, "energy_import_t1")
        assert total is not None
        assert total.attributes["unit_of_measurement"] == "kWh"
        assert total.attributes["state_class"] == "total_increasing"
        power = state_of(hass, "power_export")
        assert power is not None
        assert power.attributes["unit_of_measurement"] == "W"

        # A total lower than the last, then no JSON at all: both counted, neither written.
        await broker.publish(SENSOR_TOPIC, sensor_message(Ei1=18000.0, Po=1.0))
        await wait_rejected(coordinator, "drop")
        await broker.publish(SENSOR_TOPIC, b"\x00\xff{garbage")
        await wait_rejected(coordinator, "invalid_json")
        await broker.publish(SENSOR_TOPIC, '{"Time":"2026-09-11T14:49:21","ESP32":{}}')
        await wait_rejected(coordinator, "no_meter_values")
        assert state_of(hass, "energy_import_t1").state == "18752.361"
        assert state_of(hass, "power_export").state == "14421.0"

        await broker.publish(SENSOR_TOPIC, sensor_message(Ei1=18752.5, Po=2.5))
        await wait_for(hass, "energy_import_t1", "18752.5")
        await wait_for(hass, "power_export", "2500.0")
        assert coordinator.counters.telegrams == 5
        assert coordinator.rejected_percent == pytest.approx(60.0)
        assert coordinator.link_up
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.config_entries.async_unload(mqtt_entry.entry_id)


async def test_mqtt_unsubscribes_on_unload(hass: HomeAssistant, broker: MosquittoBroker) -> None:
    """After unload, messages on the topic reach nobody."""
    mqtt_entry = await async_setup_mqtt(hass, broker)
    entry = gplug_entry({"transport": "tasmota_mqtt", "topic": TOPIC})
    await broker.publish(SENSOR_TOPIC, sensor_message(), retain=True)
    try:
        assert await setup_integration(hass, entry)
        coordinator = entry.runtime_data.buses["p1"]
        assert coordinator is not None
        await wait_for(hass, "energy_import_t1", "18752.361")
        await hass.config_entries.async_unload(entry.entry_id)
        await broker.publish(SENSOR_TOPIC, sensor_message(Ei1=18760.0))
        await asyncio.sleep(0.3)
        assert coordinator.counters.telegrams == 1
    finally:
        await hass.config_entries.async_unload(mqtt_entry.entry_id)


async def test_a_silent_topic_marks_the_link_down_until_a_message(
    hass: HomeAssistant, broker: MosquittoBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No message for the keep-alive time: the bus is down; the next message brings it back."""
    # Longer than the MQTT integration's 0.5 s wait before it sends a first subscription.
    monkeypatch.setattr(p1_tasmota_reader, "MQTT_SILENCE", 0.8)
    mqtt_entry = await async_setup_mqtt(hass, broker)
    entry = gplug_entry({"transport": "tasmota_mqtt", "topic": TOPIC})
    await broker.publish(SENSOR_TOPIC, sensor_message(), retain=True)
    try:
        assert await setup_integration(hass, entry)
        coordinator = entry.runtime_data.buses["p1"]
        assert coordinator is not None
        await wait_for(hass, "energy_import_t1", "18752.361")
        # No retained message, which would come back with each fresh subscription.
        await broker.publish(SENSOR_TOPIC, b"", retain=True)
        await wait_rejected(coordinator, "invalid_json")
        await wait_link(coordinator, up=False, failure="the silence went unnoticed")
        assert not coordinator.last_update_success
        assert state_of(hass, "energy_import_t1").state == "unavailable"

        # Silent for longer: still down, and subscribed afresh each time.
        await asyncio.sleep(2.0)
        assert not coordinator.link_up
        await broker.publish(SENSOR_TOPIC, sensor_message(Ei1=18753.0))
        await wait_for(hass, "energy_import_t1", "18753.0")
        assert coordinator.link_up
        assert coordinator.last_update_success
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.config_entries.async_unload(mqtt_entry.entry_id)


async def test_mqtt_integration_missing_keeps_trying(hass: HomeAssistant) -> None:
    """Without the MQTT integration the installation still loads; the bus shows why."""
    entry = gplug_entry({"transport": "tasmota_mqtt", "topic": TOPIC})
    assert await setup_integration(hass, entry)
    coordinator = entry.runtime_data.buses["p1"]
    assert coordinator is not None
    assert not coordinator.link_up
    assert not coordinator.last_update_success
    # The topic ends in the reader's MAC address by default: diagnostics leave it out.
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert TOPIC not in json.dumps(diagnostics, default=str)
    assert "transport" in json.dumps(diagnostics, default=str)
    await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.usefixtures("fast_polls")
async def test_http_polls_through_the_entities(
    hass: HomeAssistant, gplug_http: TasmotaHttpPeer
) -> None:
    """`Status 10` is polled; each fault is counted and leaves the last good value."""
    entry = gplug_entry({"transport": "tasmota_http", "network": network(gplug_http.port)})
    try:
        assert await setup_integration(hass, entry)
        coordinator = entry.runtime_data.buses["p1"]
        assert coordinator is not None
        await wait_for(hass, "energy_import_t1", "18752.361")
        await wait_for(hass, "voltage_l3", "229.1")
        await wait_for(hass, "power_export", "14421.0")
        assert gplug_http.commands[0] == "Status 10"

        for fault, reason in (
            ("server_error", "http_status"),
            ("garbage", "invalid_json"),
            ("truncated", "invalid_json"),
            ("timeout", "timeout"),
        ):
            gplug_http.fault = fault
            already = coordinator.counters.rejected.get(reason, 0)
            await wait_rejected(coordinator, reason, already + 1)
            assert state_of(hass, "energy_import_t1").state == "18752.361", fault
            assert state_of(hass, "power_export").state == "14421.0", fault
        assert coordinator.link_up  # one missed answer does not lose the reader

        await wait_link(
            coordinator, up=False, failure="a reader that answers nothing went unnoticed"
        )
        assert state_of(hass, "energy_import_t1").state == "unavailable"

        gplug_http.fault = "none"
        gplug_http.status_sns = {**GPLUGD_SENSOR, "z": {**GPLUGD_SENSOR["z"], "Ei1": 18753.0}}
        await wait_for(hass, "energy_import_t1", "18753.0")
        assert coordinator.link_up
        assert coordinator.last_update_success
        assert coordinator.rejected_percent is not None
        assert coordinator.rejected_percent > 0
    finally:
        await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.usefixtures("fast_polls")
async def test_http_reader_that_goes_away_comes_back(
    hass: HomeAssistant, gplug_http: TasmotaHttpPeer
) -> None:
    """A refused connection is a lost link, not a rejected reading; polling resumes."""
    entry = gplug_entry({"transport": "tasmota_http", "network": network(gplug_http.port)})
    try:
        assert await setup_integration(hass, entry)
        coordinator = entry.runtime_data.buses["p1"]
        assert coordinator is not None
        await wait_for(hass, "energy_import_t1", "18752.361")
        await gplug_http.stop()
        await wait_link(coordinator, up=False, failure="the lost reader went unnoticed")
        assert state_of(hass, "energy_import_t1").state == "unavailable"
        assert coordinator.counters.rejected == {}

        await gplug_http.start()
        await wait_link(coordinator, up=True, failure="polling did not resume")
        await wait_for(hass, "energy_import_t1", "18752.361")
        assert coordinator.counters.connects == 2
    finally:
        await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.usefixtures("fast_polls")
async def test_http_reader_that_never_answers(
    hass: HomeAssistant, gplug_http: TasmotaHttpPeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader that takes requests but answers none is unreachable at once, not after 30 s."""
    monkeypatch.setattr(p1_tasmota_reader, "HTTP_SILENCE", 30.0)
    gplug_http.fault = "timeout"
    entry = gplug_entry({"transport": "tasmota_http", "network": network(gplug_http.port)})
    started = time.monotonic()
    assert not await setup_integration(hass, entry)
    assert time.monotonic() - started < 10
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert gplug_http.commands == ["Status 10"]
