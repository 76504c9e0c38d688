"""Follow a Tasmota-based P1 reader (gPlug): its MQTT SENSOR messages, or its HTTP API polled.

Both hand every payload to a listener (the P1 coordinator) as a reading or a rejection,
and tell it when the reader is heard and when it went silent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import time
from typing import Protocol

from homeassistant.components import mqtt
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..bus.connection import BusConnection
from ..bus.p1.reading import P1Reading
from ..bus.p1.tasmota import (
    TasmotaPayloadError,
    TasmotaRejection,
    reading_from_tasmota_json,
    sensor_topic,
)
from ..bus.p1.tasmota_http import TasmotaHttpStatusError, async_fetch_status

# gPlugs send every few seconds; `Status 10` is asked for every 10 s.
HTTP_POLL_INTERVAL = 10.0
HTTP_TIMEOUT = 5.0
# A reader on Wi-Fi may miss a request; one that answers none for this long is lost.
HTTP_SILENCE = 30.0
# Tasmota publishes SENSOR every TelePeriod: 300 s unless set lower. A minute's margin.
MQTT_SILENCE = 360.0


class TasmotaListener(Protocol):
    """What a reader tells: it is heard, it went silent, a reading, a rejected payload."""

    def async_note_link_up(self) -> None:
        """The reader answers or publishes."""

    def async_note_link_down(self, detail: str) -> None:
        """The reader has gone silent."""

    def async_handle_reading(self, reading: P1Reading) -> None:
        """A payload with the meter's values."""

    def async_note_rejected(self, rejection: str, detail: str = "") -> None:
        """A payload or answer without a reading."""


def take_payload(listener: TasmotaListener, raw: str | bytes | bytearray) -> None:
    """Hand one payload to the listener as a reading, or as a rejection."""
    try:
        reading = reading_from_tasmota_json(raw)
    except TasmotaPayloadError as err:
        listener.async_note_rejected(err.rejection, str(err))
        return
    listener.async_handle_reading(reading)


async def async_poll_http(
    hass: HomeAssistant, connection: BusConnection, listener: TasmotaListener
) -> None:
    """Ask the reader for `Status 10` every HTTP_POLL_INTERVAL seconds, for ever.

    An error answer, or a request unanswered once the reader has answered, is a
    rejection. A refused connection, a first request unanswered, or no answer for
    HTTP_SILENCE seconds ends the poll with one of HTTP_LINK_ERRORS, for the caller's
    back-off.
    """
    if connection.network is None:
        raise ValueError(f"{connection.transport} needs a host and port")
    session = async_get_clientsession(hass)
    answered_at: float | None = None
    while True:
        try:
            body = await async_fetch_status(session, connection.network, HTTP_TIMEOUT)
        except TimeoutError as err:
            if answered_at is None:
                raise TimeoutError(f"no answer in {HTTP_TIMEOUT:g} s") from err
            listener.async_note_rejected(TasmotaRejection.TIMEOUT, f"{HTTP_TIMEOUT:g} s")
            if time.monotonic() - answered_at >= HTTP_SILENCE:
                raise TimeoutError(f"no answer for {HTTP_SILENCE:g} s") from err
        except TasmotaHttpStatusError as err:
            answered_at = time.monotonic()
            listener.async_note_link_up()
            listener.async_note_rejected(TasmotaRejection.HTTP_STATUS, str(err))
        else:
            answered_at = time.monotonic()
            listener.async_note_link_up()
            take_payload(listener, body)
        await asyncio.sleep(HTTP_POLL_INTERVAL)


async def async_follow_mqtt(
    hass: HomeAssistant, connection: BusConnection, listener: TasmotaListener
) -> None:
    """Take the reader's SENSOR messages through Home Assistant's MQTT integration.

    Runs until cancelled, then unsubscribes. The MQTT integration reconnects to the broker
    itself, so a silent topic only marks the link down until the next message; it is
    subscribed afresh then, in case the integration was reloaded meanwhile. Raises
    ConnectionError while the integration is not set up.
    """
    if connection.topic is None:
        raise ValueError(f"{connection.transport} needs a topic")
    topic = sensor_topic(connection.topic)
    heard = asyncio.Event()

    @callback
    def message(msg: mqtt.ReceiveMessage) -> None:
        heard.set()
        listener.async_note_link_up()
        take_payload(listener, msg.payload)

    unsubscribe = await _async_subscribe(hass, topic, message)
    listener.async_note_link_up()
    try:
        while True:
            heard.clear()
            try:
                async with asyncio.timeout(MQTT_SILENCE):
                    await heard.wait()
            except TimeoutError:
                listener.async_note_link_down(f"no message on {topic} for {MQTT_SILENCE:g} s")
                unsubscribe()
                # Should subscribing fail now, nothing is left to undo.
                unsubscribe = _unsubscribed
                unsubscribe = await _async_subscribe(hass, topic, message)
    finally:
        unsubscribe()


async def _async_subscribe(
    hass: HomeAssistant, topic: str, message: Callable[[mqtt.ReceiveMessage], None]
) -> CALLBACK_TYPE:
    if not await mqtt.async_wait_for_mqtt_client(hass):
        raise ConnectionError("the MQTT integration is not set up")
    try:
        # No encoding: bytes that are not UTF-8 reach us and are counted, not dropped.
        return await mqtt.async_subscribe(hass, topic, message, encoding=None)
    except HomeAssistantError as err:
        raise ConnectionError(f"cannot subscribe to {topic}: {err}") from err


def _unsubscribed() -> None:
    """Nothing to undo: no subscription is held."""
