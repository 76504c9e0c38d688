"""What the Tasmota P1 transports need from the bus layer: the stored connection, the topic,
the `Status 10` URL, and raw JSON to a reading or a counted reason.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.benext.bus.connection import Bus, BusConnection, NetworkSettings, Transport
from custom_components.benext.bus.p1.reading import P1Quantity
from custom_components.benext.bus.p1.tasmota import (
    TasmotaJsonError,
    TasmotaPayloadError,
    TasmotaRejection,
    device_topic,
    reading_from_tasmota_json,
    sensor_topic,
)
from custom_components.benext.bus.p1.tasmota_http import status_url
from tests.p1_fixtures import GPLUGM_STATUS


def test_mqtt_connection_is_stored_with_its_topic() -> None:
    connection = BusConnection(Bus.P1, Transport.TASMOTA_MQTT, topic="gPlug")
    stored = connection.as_dict()

    assert stored == {"transport": "tasmota_mqtt", "topic": "gPlug"}
    assert BusConnection.from_dict(Bus.P1, stored) == connection
    assert connection.endpoint == "mqtt:gPlug"
    assert connection.is_push


def test_http_connection_is_a_network_endpoint() -> None:
    stored = {"transport": "tasmota_http", "network": {"host": "192.0.2.7", "port": 80}}
    connection = BusConnection.from_dict(Bus.P1, stored)

    assert connection.network == NetworkSettings("192.0.2.7", 80)
    assert connection.topic is None
    assert connection.as_dict() == stored
    assert connection.endpoint == "192.0.2.7:80"
    assert not connection.is_push


def test_stored_entries_without_a_topic_still_load() -> None:
    stored = {"transport": "network", "network": {"host": "192.0.2.7", "port": 23}}
    assert BusConnection.from_dict(Bus.P1, stored).as_dict() == stored


@pytest.mark.parametrize(
    ("connection", "message"),
    [
        ({"transport": Transport.TASMOTA_MQTT}, "needs its topic"),
        ({"transport": Transport.TASMOTA_MQTT, "topic": ""}, "needs its topic"),
        ({"transport": Transport.TASMOTA_HTTP}, "needs a host and port"),
    ],
)
def test_settings_must_fit_the_transport(connection: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BusConnection(Bus.P1, **connection)


def test_tasmota_transports_are_p1_only() -> None:
    with pytest.raises(ValueError, match="not a transport"):
        BusConnection(Bus.MODBUS, Transport.TASMOTA_MQTT, topic="gPlug")


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("gPlug", "gPlug"),
        ("  gPlugM_598E64 ", "gPlugM_598E64"),
        ("tele/gPlug/SENSOR", "gPlug"),
        ("/tele/gPlug/SENSOR/", "gPlug"),
        ("home/tele/gPlug", "home/tele/gPlug"),
        ("tele//SENSOR", ""),
        ("   ", ""),
    ],
)
def test_device_topic(typed: str, topic: str) -> None:
    assert device_topic(typed) == topic


def test_sensor_topic() -> None:
    assert sensor_topic("gPlug") == "tele/gPlug/SENSOR"


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("192.0.2.7", 80, "http://192.0.2.7/cm?cmnd=Status%2010"),
        ("gplug.local", 8080, "http://gplug.local:8080/cm?cmnd=Status%2010"),
        ("fe80::1", 80, "http://[fe80::1]/cm?cmnd=Status%2010"),
    ],
)
def test_status_url_sends_the_space_as_percent_20(host: str, port: int, url: str) -> None:
    built = status_url(NetworkSettings(host, port))
    assert str(built) == url
    assert built.query["cmnd"] == "Status 10"


def test_raw_json_becomes_a_reading() -> None:
    for raw in (json.dumps(GPLUGM_STATUS), json.dumps(GPLUGM_STATUS).encode()):
        reading = reading_from_tasmota_json(raw)
        assert reading.values[P1Quantity.ENERGY_IMPORT_T1] == 130.675
        assert reading.equipment_id == "72913313"


@pytest.mark.parametrize(
    "raw",
    [
        b"\x00\xff<html>\x1b[0m",
        '{"StatusSNS":{"Time":"2025-04-2',
        "",
        "[1, 2]",
        "null",
    ],
    ids=["not utf-8", "truncated", "empty", "array", "null"],
)
def test_not_json_object(raw: str | bytes) -> None:
    with pytest.raises(TasmotaJsonError) as caught:
        reading_from_tasmota_json(raw)
    assert caught.value.rejection is TasmotaRejection.INVALID_JSON


def test_json_without_meter_values() -> None:
    with pytest.raises(TasmotaPayloadError) as caught:
        reading_from_tasmota_json('{"Time":"2025-04-26T22:49:54","ESP32":{"Temperature":42}}')
    assert not isinstance(caught.value, TasmotaJsonError)
    assert caught.value.rejection is TasmotaRejection.NO_METER_VALUES
