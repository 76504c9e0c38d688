"""A gPlug (Tasmota P1 reader) in the config flows: over MQTT through a real mosquitto
broker, and over its HTTP API; the meter found, and every error.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import DOMAIN, SUBENTRY_SMART_METER
from custom_components.benext.p1 import tasmota_flow as p1_tasmota_flow
from tests.installation_flow import BUSES, choose, finish, start, submit
from tests.peers import free_port, network
from tests.tasmota_mqtt import SENSOR_TOPIC, TOPIC, async_setup_mqtt, sensor_message
from tests.tasmota_peers import MosquittoBroker, TasmotaHttpPeer

# mock_hass_config: the MQTT integration reads configuration.yaml, which tests lack.
pytestmark = pytest.mark.usefixtures("socket_enabled", "mock_hass_config")

# What the gPlugD's first message tells: 14421 W exported, 18752.361 + 24226.039 kWh imported.
GPLUGD_FOUND = {"serial": "10487029", "power": "-14421", "energy": "42978.400", "values": "18"}


async def _p1_transport(hass: HomeAssistant, transport: str, step_id: str) -> dict[str, Any]:
    """A new installation's flow, at the settings step of the P1 transport chosen."""
    result = await choose(hass, await start(hass, "Home"), "p1")
    return await submit(hass, result, {"transport": transport}, step_id)


_configure = submit


async def test_mqtt_reader_found(hass: HomeAssistant, broker: MosquittoBroker) -> None:
    """The topic's first SENSOR message shows the meter; it becomes the smart meter subentry."""
    mqtt_entry = await async_setup_mqtt(hass, broker)
    # Retained, as the flow subscribes only once the topic is entered.
    await broker.publish(SENSOR_TOPIC, sensor_message(), retain=True)
    result = await _p1_transport(hass, "tasmota_mqtt", "p1_tasmota_mqtt")
    # The whole topic, as copied from the reader's console, is taken too.
    result = await _configure(hass, result, {"topic": f" {SENSOR_TOPIC} "}, "p1_tasmota_meter")
    assert result["description_placeholders"] == GPLUGD_FOUND
    result = await _configure(hass, result, {}, BUSES)
    result = await finish(hass, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {"p1": {"transport": "tasmota_mqtt", "topic": TOPIC}}
    entry = result["result"]
    (subentry,) = entry.subentries.values()
    assert subentry.subentry_type == SUBENTRY_SMART_METER
    assert subentry.unique_id == "10487029"
    assert subentry.data["dsmr_version"] is None
    assert "voltage_l1" in subentry.data["quantities"]
    assert "energy_import_t2" in subentry.data["quantities"]
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.config_entries.async_unload(mqtt_entry.entry_id)


async def test_mqtt_topic_without_meter_values(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Garbage on the topic is logged; nothing usable within the wait is `no_telegram`."""
    monkeypatch.setattr(p1_tasmota_flow, "MQTT_LISTEN_SECONDS", 1.0)
    mqtt_entry = await async_setup_mqtt(hass, broker)
    await broker.publish(SENSOR_TOPIC, b"\x00\xff{garbage", retain=True)
    result = await _p1_transport(hass, "tasmota_mqtt", "p1_tasmota_mqtt")
    result = await _configure(hass, result, {"topic": TOPIC}, "p1_tasmota_mqtt")
    assert result["errors"] == {"base": "no_telegram"}
    assert f"A message on {SENSOR_TOPIC} holds no smart meter values" in caplog.text
    await hass.config_entries.async_unload(mqtt_entry.entry_id)


async def test_mqtt_not_configured(hass: HomeAssistant) -> None:
    """Without Home Assistant's MQTT integration the topic step says so."""
    result = await _p1_transport(hass, "tasmota_mqtt", "p1_tasmota_mqtt")
    result = await _configure(hass, result, {"topic": TOPIC}, "p1_tasmota_mqtt")
    assert result["errors"] == {"base": "mqtt_not_configured"}


async def test_mqtt_topic_must_be_given(hass: HomeAssistant) -> None:
    result = await _p1_transport(hass, "tasmota_mqtt", "p1_tasmota_mqtt")
    result = await _configure(hass, result, {"topic": " tele//SENSOR "}, "p1_tasmota_mqtt")
    assert result["errors"] == {"topic": "invalid_topic"}
    (topic,) = result["data_schema"].schema
    assert topic.description == {"suggested_value": " tele//SENSOR "}


async def test_topic_of_another_installation(hass: HomeAssistant) -> None:
    """A reader that another installation follows: its name on the form, the topic kept."""
    MockConfigEntry(
        domain=DOMAIN,
        title="Flat 12",
        data={"p1": {"transport": "tasmota_mqtt", "topic": TOPIC}},
    ).add_to_hass(hass)
    result = await _p1_transport(hass, "tasmota_mqtt", "p1_tasmota_mqtt")
    result = await _configure(hass, result, {"topic": SENSOR_TOPIC}, "p1_tasmota_mqtt")
    assert result["errors"] == {"base": "p1_used_elsewhere"}
    assert result["description_placeholders"] == {"installation": "Flat 12"}
    (topic,) = result["data_schema"].schema
    assert topic.description == {"suggested_value": SENSOR_TOPIC}


async def test_http_reader_found(hass: HomeAssistant, gplug_http: TasmotaHttpPeer) -> None:
    """One `Status 10` request shows the meter; port 80 is offered."""
    result = await _p1_transport(hass, "tasmota_http", "p1_tasmota_http")
    port_key = next(key for key in result["data_schema"].schema if str(key) == "port")
    assert port_key.default() == 80
    result = await _configure(
        hass, result, {"host": "127.0.0.1", "port": gplug_http.port}, "p1_tasmota_meter"
    )
    assert result["description_placeholders"] == GPLUGD_FOUND
    assert gplug_http.commands == ["Status 10"]
    result = await _configure(hass, result, {}, BUSES)
    result = await finish(hass, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        "p1": {"transport": "tasmota_http", "network": network(gplug_http.port)}
    }
    await hass.config_entries.async_unload(result["result"].entry_id)


@pytest.mark.parametrize(
    ("fault", "error"),
    [("server_error", "no_telegram"), ("garbage", "no_telegram"), ("truncated", "no_telegram")],
)
async def test_http_reader_without_meter_values(
    hass: HomeAssistant, gplug_http: TasmotaHttpPeer, fault: Any, error: str
) -> None:
    gplug_http.fault = fault
    result = await _p1_transport(hass, "tasmota_http", "p1_tasmota_http")
    result = await _configure(
        hass, result, {"host": "127.0.0.1", "port": gplug_http.port}, "p1_tasmota_http"
    )
    assert result["errors"] == {"base": error}


async def test_http_reader_not_reachable(hass: HomeAssistant) -> None:
    result = await _p1_transport(hass, "tasmota_http", "p1_tasmota_http")
    result = await _configure(
        hass, result, {"host": "127.0.0.1", "port": free_port()}, "p1_tasmota_http"
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_reconfigure_keeps_the_reader(
    hass: HomeAssistant, gplug_http: TasmotaHttpPeer
) -> None:
    """Reconfiguring suggests the reader's address and keeps the smart meter in step."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={"p1": {"transport": "tasmota_http", "network": network(gplug_http.port)}},
    )
    entry.add_to_hass(hass)
    result = await choose(hass, await entry.start_reconfigure_flow(hass), "p1")
    result = await _configure(hass, result, {"transport": "tasmota_http"}, "p1_tasmota_http")
    suggested = {
        str(key): key.description["suggested_value"] for key in result["data_schema"].schema
    }
    assert suggested == {"host": "127.0.0.1", "port": gplug_http.port}
    result = await _configure(
        hass, result, {"host": "127.0.0.1", "port": gplug_http.port}, "p1_tasmota_meter"
    )
    result = await _configure(hass, result, {}, BUSES)
    result = await finish(hass, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    (subentry,) = entry.subentries.values()
    assert subentry.unique_id == "10487029"


async def test_subentry_flow_adds_the_meter(
    hass: HomeAssistant, gplug_http: TasmotaHttpPeer
) -> None:
    """*Add the smart meter* asks the reader and shows what it found."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={"p1": {"transport": "tasmota_http", "network": network(gplug_http.port)}},
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_SMART_METER), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "tasmota_meter"
    assert result["description_placeholders"] == GPLUGD_FOUND
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], {})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["unique_id"] == "10487029"
    assert "power_export_l2" in result["data"]["quantities"]


async def test_subentry_flow_without_mqtt(hass: HomeAssistant) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, title="Home", data={"p1": {"transport": "tasmota_mqtt", "topic": TOPIC}}
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_SMART_METER), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "mqtt_not_configured"
