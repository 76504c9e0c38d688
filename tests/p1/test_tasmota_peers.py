"""The Tasmota peers work: mosquitto carries gPlug JSON, the HTTP API answers `Status 10`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
import json
from typing import Any

import aiohttp
import paho.mqtt.client as mqtt
import pytest

from custom_components.benext.bus.p1.reading import P1Quantity
from custom_components.benext.bus.p1.tasmota import reading_from_tasmota
from tests.tasmota_peers import GPLUGM_SENSORS, MosquittoBroker, TasmotaHttpPeer

pytestmark = pytest.mark.usefixtures("socket_enabled")

TOPIC = "tele/gPlugM_598E64/SENSOR"


@pytest.fixture
async def tasmota_http() -> AsyncGenerator[TasmotaHttpPeer]:
    peer = TasmotaHttpPeer()
    await peer.start()
    yield peer
    await peer.stop()


async def test_broker_delivers_a_sensor_message(broker: MosquittoBroker) -> None:
    loop = asyncio.get_running_loop()
    subscribed = asyncio.Event()
    received: asyncio.Queue[mqtt.MQTTMessage] = asyncio.Queue()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.on_connect = lambda client, *_: client.subscribe("tele/+/SENSOR")
    client.on_subscribe = lambda *_: loop.call_soon_threadsafe(subscribed.set)
    client.on_message = lambda _client, _userdata, message: loop.call_soon_threadsafe(
        received.put_nowait, message
    )
    client.connect_async(broker.host, broker.port)
    client.loop_start()
    try:
        async with asyncio.timeout(5):
            await subscribed.wait()
            await broker.publish(TOPIC, json.dumps(GPLUGM_SENSORS))
            message = await received.get()
    finally:
        client.disconnect()
        client.loop_stop()

    assert message.topic == TOPIC
    reading = reading_from_tasmota(json.loads(message.payload))
    assert reading.values[P1Quantity.ENERGY_IMPORT_T1] == 130.675


async def test_http_peer_answers_status_10(tasmota_http: TasmotaHttpPeer) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{tasmota_http.url}/cm?cmnd=Status%2010") as response:
            assert response.status == 200
            first: dict[str, Any] = await response.json()

        tasmota_http.status_sns = {"Time": "2025-04-26T22:50:04", "z": {"Pi": 1.25}}
        async with session.get(f"{tasmota_http.url}/cm", params={"cmnd": "status 10"}) as response:
            second: dict[str, Any] = await response.json()

        async with session.get(f"{tasmota_http.url}/cm?cmnd=Power") as response:
            assert await response.json() == {"Command": "Unknown"}

    assert reading_from_tasmota(first).equipment_id == "72913313"
    assert reading_from_tasmota(second).values == {P1Quantity.POWER_IMPORT: 1250.0}
    assert tasmota_http.commands == ["Status 10", "status 10", "Power"]


async def test_http_peer_fails_on_demand(tasmota_http: TasmotaHttpPeer) -> None:
    url = f"{tasmota_http.url}/cm?cmnd=Status%2010"
    async with aiohttp.ClientSession() as session:
        tasmota_http.fault = "server_error"
        async with session.get(url) as response:
            assert response.status == 500

        tasmota_http.fault = "garbage"
        async with session.get(url) as response:
            with pytest.raises(UnicodeDecodeError):
                await response.json(content_type=None)

        tasmota_http.fault = "truncated"
        async with session.get(url) as response:
            with pytest.raises(json.JSONDecodeError):
                await response.json()

        tasmota_http.fault = "timeout"
        with pytest.raises(TimeoutError):
            await session.get(url, timeout=aiohttp.ClientTimeout(total=0.2))
