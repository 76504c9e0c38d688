"""Find the smart meter behind a Tasmota-based P1 reader (gPlug), for the config flows.

The reader sends values, not telegrams: its first JSON tells the meter's serial number
and what it measures, which is all there is to confirm.
"""

from __future__ import annotations

import asyncio

from homeassistant.components import mqtt
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import probatio

from ..bus.connection import BusConnection, NetworkSettings, Transport
from ..bus.p1.reading import P1Quantity, P1Reading
from ..bus.p1.tasmota import TasmotaPayloadError, reading_from_tasmota_json, sensor_topic
from ..bus.p1.tasmota_http import HTTP_LINK_ERRORS, TasmotaHttpStatusError, async_fetch_status
from ..const import LOGGER

# A gPlug publishes every few seconds, a plain Tasmota at its TelePeriod (which a user
# can lower to 10 s for this).
MQTT_LISTEN_SECONDS = 15.0
HTTP_TIMEOUT = 10.0
# Nothing to choose: the form only confirms the meter found.
TASMOTA_METER_SCHEMA = probatio.Schema({})


async def async_find_tasmota_reading(
    hass: HomeAssistant, connection: BusConnection
) -> tuple[P1Reading | None, str | None]:
    """The reader's first reading, or the flow's error key."""
    if connection.transport is Transport.TASMOTA_MQTT and connection.topic is not None:
        return await _async_listen_mqtt(hass, connection.topic)
    if connection.transport is Transport.TASMOTA_HTTP and connection.network is not None:
        return await _async_ask_http(hass, connection.network)
    raise ValueError(f"{connection.transport} is not a Tasmota reader")


async def _async_listen_mqtt(
    hass: HomeAssistant, topic: str
) -> tuple[P1Reading | None, str | None]:
    if not await mqtt.async_wait_for_mqtt_client(hass):
        return None, "mqtt_not_configured"
    found: asyncio.Future[P1Reading] = hass.loop.create_future()
    full_topic = sensor_topic(topic)

    @callback
    def message(msg: mqtt.ReceiveMessage) -> None:
        if found.done():
            return
        try:
            found.set_result(reading_from_tasmota_json(msg.payload))
        except TasmotaPayloadError as err:
            LOGGER.warning("A message on %s holds no smart meter values: %s", full_topic, err)

    unsubscribe = await mqtt.async_subscribe(hass, full_topic, message, encoding=None)
    try:
        async with asyncio.timeout(MQTT_LISTEN_SECONDS):
            return await found, None
    except TimeoutError:
        LOGGER.debug("No smart meter values on %s in %.0f s", full_topic, MQTT_LISTEN_SECONDS)
        return None, "no_telegram"
    finally:
        unsubscribe()


async def _async_ask_http(
    hass: HomeAssistant, network: NetworkSettings
) -> tuple[P1Reading | None, str | None]:
    try:
        body = await async_fetch_status(async_get_clientsession(hass), network, HTTP_TIMEOUT)
    except TasmotaHttpStatusError as err:
        LOGGER.warning("%s:%s answers Status 10 with %s", network.host, network.port, err)
        return None, "no_telegram"
    except HTTP_LINK_ERRORS as err:
        LOGGER.debug("%s:%s cannot be reached: %r", network.host, network.port, err)
        return None, "cannot_connect"
    try:
        return reading_from_tasmota_json(body), None
    except TasmotaPayloadError as err:
        LOGGER.warning("%s:%s sends no smart meter values: %s", network.host, network.port, err)
        return None, "no_telegram"


def tasmota_meter_placeholders(reading: P1Reading) -> dict[str, str]:
    """What the first reading told: serial number, net power now, import total, value count."""
    values = reading.values
    power: float | None = None
    if P1Quantity.POWER_IMPORT in values or P1Quantity.POWER_EXPORT in values:
        power = values.get(P1Quantity.POWER_IMPORT, 0.0) - values.get(P1Quantity.POWER_EXPORT, 0.0)
    imported = values.get(P1Quantity.ENERGY_IMPORT)
    if imported is None and (tariffs := _tariff_totals(values)):
        imported = sum(tariffs)
    return {
        "serial": reading.equipment_id or "?",
        "power": f"{power:.0f}" if power is not None else "?",
        "energy": f"{imported:.3f}" if imported is not None else "?",
        "values": str(len(values)),
    }


def _tariff_totals(values: dict[P1Quantity, float]) -> list[float]:
    tariffs = (
        P1Quantity.ENERGY_IMPORT_T1,
        P1Quantity.ENERGY_IMPORT_T2,
        P1Quantity.ENERGY_IMPORT_T3,
        P1Quantity.ENERGY_IMPORT_T4,
    )
    return [values[t] for t in tariffs if t in values]
