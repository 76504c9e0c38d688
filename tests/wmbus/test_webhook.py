"""The wM-Bus endpoint under bad input: the answer says why, and the last good value stays."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
import json
import logging
from typing import Any

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import MAX_LENGTH_STATE_STATE, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)

from custom_components.benext.const import (
    DOMAIN,
    WMBUS_MAX_BODY,
    WMBUS_MAX_DISCOVERIES,
    WMBUS_MAX_FIELDS,
    WMBUS_MAX_HEARD,
)
from tests import setup_integration
from tests.wmbus_fixtures import WMBUS_FIXTURES
from tests.wmbus_helpers import ClientFactory, meter_of, state_of
from tests.wmbus_peers import TOKEN, WEBHOOK_ID, wmbus_entry

pytestmark = pytest.mark.usefixtures("socket_enabled", "entity_registry_enabled_by_default")

WATER = WMBUS_FIXTURES[1]  # Kamstrup Multical 21 44556677, total 20.015 m³, status OK
ENDPOINT = f"/api/webhook/{WEBHOOK_ID}"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def telegram(total_m3: float, at: str, **fields: Any) -> dict[str, Any]:
    """The meter's telegram as wmbusmeters 2.0.0 posts it, with another total and time."""
    return {**WATER.expected, "total_m3": total_m3, "timestamp": at, **fields}


async def post(client: TestClient[Any, Any], body: Any, headers: dict[str, str] = AUTH) -> str:
    """Post `body` (JSON unless bytes/str) and return 'status reason'."""
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    response = await client.post(ENDPOINT, data=data, headers=headers)
    return f"{response.status} {(await response.text()).strip()}"


def volume(hass: HomeAssistant) -> str | None:
    """The water meter's volume sensor state."""
    state = state_of(hass, "sensor", WATER.meter_id, "total_m3")
    return state.state if state is not None else None


@pytest.fixture
async def client(hass: HomeAssistant, hass_client_no_auth: ClientFactory) -> TestClient[Any, Any]:
    """Home Assistant's HTTP server with the installation's endpoint, after a first telegram."""
    assert await setup_integration(hass, wmbus_entry([meter_of(WATER)]))
    client = await hass_client_no_auth()
    assert await post(client, telegram(20.015, "2026-11-22T10:00:00Z")) == "200 accepted: 1"
    await hass.async_block_till_done()
    assert volume(hass) == "20.015"
    return client


async def test_token(hass: HomeAssistant, client: TestClient[Any, Any]) -> None:
    """Without the installation's bearer token nothing is taken."""
    later = telegram(21.0, "2026-11-22T10:01:00Z")
    assert await post(client, later, {}) == "401 missing or wrong bearer token"
    assert await post(client, later, {"Authorization": "Bearer nope"}) == (
        "401 missing or wrong bearer token"
    )
    assert await post(client, later, {"Authorization": TOKEN}) == (
        "401 missing or wrong bearer token"
    )
    await hass.async_block_till_done()
    assert volume(hass) == "20.015"


@pytest.mark.parametrize(
    ("body", "answer"),
    [
        (b"\xff\xfe not utf-8", "400 not JSON"),
        ("{'id': 1}", "400 not JSON"),
        ('{"_":"telegram","id":"4455', "400 not JSON"),
        ("[]", "400 no wmbusmeters telegram in the body"),
        ('{"hello": "world"}', "400 no wmbusmeters telegram in the body"),
        ('"just a string"', "400 not JSON"),
        (
            '{"_":"telegram","meter":"multical21","id":"4455667"}',
            "400 no wmbusmeters telegram in the body",
        ),
    ],
)
async def test_unreadable_bodies(
    hass: HomeAssistant, client: TestClient[Any, Any], body: str | bytes, answer: str
) -> None:
    """A body that holds no telegram is refused with the reason; the value stays."""
    assert await post(client, body) == answer
    await hass.async_block_till_done()
    assert volume(hass) == "20.015"


async def test_oversized_body(hass: HomeAssistant, client: TestClient[Any, Any]) -> None:
    """A body over the cap is refused without being read whole."""
    body = json.dumps([telegram(21.0, "2026-11-22T10:01:00Z")] * 2000)
    assert len(body) > WMBUS_MAX_BODY
    assert await post(client, body) == f"413 body over {WMBUS_MAX_BODY} bytes"
    await hass.async_block_till_done()
    assert volume(hass) == "20.015"


async def raw_post(
    client: TestClient[Any, Any], parts: list[bytes], headers: dict[str, bytes] | None = None
) -> str:
    """Post the body `parts` over a raw socket, each in its own segment after a pause."""
    url = client.make_url(ENDPOINT)
    reader, writer = await asyncio.open_connection(url.host, url.port)
    lines = {
        b"Host": f"{url.host}:{url.port}".encode(),
        b"Authorization": AUTH["Authorization"].encode(),
        b"Content-Type": b"application/json",
        b"Content-Length": str(sum(map(len, parts))).encode(),
        b"Connection": b"close",
        **{name.encode(): value for name, value in (headers or {}).items()},
    }
    head = b"".join(name + b": " + value + b"\r\n" for name, value in lines.items())
    writer.write(b"POST " + ENDPOINT.encode() + b" HTTP/1.1\r\n" + head + b"\r\n")
    await writer.drain()
    for part in parts:
        await asyncio.sleep(0.05)
        writer.write(part)
        await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    status_line, _, rest = answer.partition(b"\r\n")
    reason = rest.partition(b"\r\n\r\n")[2].decode().strip()
    return f"{status_line.split()[1].decode()} {reason}"


def telegrams_of_size(size: int) -> list[dict[str, Any]]:
    """Distinct telegrams of the meter, a second apart, about `size` bytes of JSON in all."""
    one = len(json.dumps(telegram(20.015, "2026-11-22T10:00:00Z"))) + 2
    return [
        telegram(20.015, f"2026-11-22T11:{second // 60:02d}:{second % 60:02d}Z")
        for second in range(size // one)
    ]


async def test_body_in_several_segments_is_read_whole(
    hass: HomeAssistant, client: TestClient[Any, Any]
) -> None:
    """A body that arrives in pieces, with pauses between them, is read to its end."""
    body = json.dumps(telegram(20.1, "2026-11-22T10:01:00Z")).encode()
    parts = [body[:10], body[10:100], body[100:]]
    assert await raw_post(client, parts) == "200 accepted: 1"
    await hass.async_block_till_done()
    assert volume(hass) == "20.1"


async def test_large_body_under_the_cap_is_read_whole(
    hass: HomeAssistant, client: TestClient[Any, Any]
) -> None:
    """About 200 KiB of telegrams, from aiohttp in pieces and from the real curl, are all taken."""
    several = telegrams_of_size(200 * 1024)
    body = json.dumps(several).encode()
    assert 190 * 1024 < len(body) <= WMBUS_MAX_BODY
    pieces = [body[start : start + 64 * 1024] for start in range(0, len(body), 64 * 1024)]
    assert await raw_post(client, pieces) == f"200 accepted: {len(several)}"

    later = [{**value, "timestamp": value["timestamp"].replace("T11", "T12")} for value in several]
    process = await asyncio.create_subprocess_exec(
        "curl",
        *("-sS", "-m", "20", "-X", "POST", "-H", "Content-Type: application/json"),
        *("-H", f"Authorization: {AUTH['Authorization']}", "--data-binary", "@-"),
        str(client.make_url(ENDPOINT)),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    answer, _ = await asyncio.wait_for(process.communicate(json.dumps(later).encode()), 20)
    assert answer.decode().strip() == f"accepted: {len(later)}"


async def test_deeply_nested_body_is_refused(
    hass: HomeAssistant, client: TestClient[Any, Any]
) -> None:
    """A body nested deeper than the JSON decoder goes is not JSON, not a server error."""
    assert await post(client, "[" * 100_000) == "400 not JSON"
    assert await post(client, "[" * 100_000 + "]" * 100_000) == "400 not JSON"
    await hass.async_block_till_done()
    assert volume(hass) == "20.015"


async def test_token_with_other_than_ascii_is_refused(
    hass: HomeAssistant, client: TestClient[Any, Any]
) -> None:
    """An Authorization header in UTF-8 is not the token: 401, not a server error."""
    body = json.dumps(telegram(21.0, "2026-11-22T10:01:00Z")).encode()
    for given in ("Bearer s3cr\u00e9t-token", "Bearer \u20ac", f"Bearer {TOKEN}\u00e9"):
        answer = await raw_post(client, [body], {"Authorization": given.encode()})
        assert answer == "401 missing or wrong bearer token"
    await hass.async_block_till_done()
    assert volume(hass) == "20.015"


async def test_duplicate_and_older_telegrams(
    hass: HomeAssistant, client: TestClient[Any, Any]
) -> None:
    """A telegram seen already, or older than the last one, changes nothing."""
    assert await post(client, telegram(20.015, "2026-11-22T10:00:00Z")) == "200 duplicate: 1"
    assert await post(client, telegram(19.0, "2026-11-22T09:59:00Z")) == "200 out_of_order: 1"
    await hass.async_block_till_done()
    assert volume(hass) == "20.015"

    several = [
        telegram(20.1, "2026-11-22T10:01:00Z"),
        telegram(20.1, "2026-11-22T10:01:00Z"),
        telegram(20.2, "2026-11-22T10:02:00Z"),
    ]
    assert await post(client, several) == "200 accepted: 2, duplicate: 1"
    await hass.async_block_till_done()
    assert volume(hass) == "20.2"


async def test_repeats_heard_again_or_with_a_refused_total(
    hass: HomeAssistant, client: TestClient[Any, Any]
) -> None:
    """A telegram heard again through another receiver is a duplicate, whatever its signal.

    One whose total was refused is told against what the meter shows: its repeat is
    refused again, and the total keeps its last good value.
    """
    heard = telegram(20.1, "2026-11-22T10:01:00Z", rssi_dbm=-70)
    assert (
        await post(client, [heard, {**heard, "rssi_dbm": -81}]) == "200 accepted: 1, duplicate: 1"
    )
    glitch = telegram(0, "2026-11-22T10:02:00Z")
    assert await post(client, [glitch, glitch]) == "200 accepted: 2"
    await hass.async_block_till_done()
    assert volume(hass) == "20.1"


async def test_total_that_drops_keeps_its_last_good_value(
    hass: HomeAssistant, client: TestClient[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """A glitch (0, or a drop) never reaches the total; the other values still update."""
    with caplog.at_level(logging.WARNING):
        glitch = telegram(0, "2026-11-22T10:01:00Z", flow_temperature_c=9)
        assert await post(client, glitch) == "200 accepted: 1"
    await hass.async_block_till_done()
    assert volume(hass) == "20.015"
    water_temperature = state_of(hass, "sensor", WATER.meter_id, "flow_temperature_c")
    assert water_temperature is not None
    assert water_temperature.state == "9.0"
    assert "ignoring total_m3 = 0.0 from meter 44556677 (drop); keeping 20.015" in caplog.text

    # Received right after it: a rise a water meter can count in that time.
    assert await post(client, telegram(20.1, "2026-11-22T10:02:00Z")) == "200 accepted: 1"
    await hass.async_block_till_done()
    assert volume(hass) == "20.1"


async def test_unknown_meter_and_other_methods(
    hass: HomeAssistant, client: TestClient[Any, Any]
) -> None:
    """A meter no subentry claims is answered, and makes no entity."""
    other = {**telegram(1.0, "2026-11-22T10:01:00Z"), "id": "12345678"}
    assert await post(client, other) == "200 unknown_meter: 1"
    assert state_of(hass, "sensor", "12345678", "total_m3") is None
    response = await client.get(ENDPOINT)
    assert response.status == 405


async def test_product_status_once_telegrams_arrive(
    hass: HomeAssistant, client: TestClient[Any, Any]
) -> None:
    """The meter's BeNext tick is OK once a telegram with a non-zero total arrived."""
    coordinator = hass.config_entries.async_entries("benext")[0].runtime_data.buses["wmbus"]
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    tick = state_of(hass, "sensor", WATER.meter_id, "product_status")
    assert tick is not None
    assert tick.state == "ok"


async def test_restored_total_is_the_floor(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """After a restart the total shows its last value, and a lower telegram does not pass."""
    entity_id = f"sensor.cold_water_wm_bus_{WATER.meter_id}_volume"
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(entity_id, "25.5", {"unit_of_measurement": "m³"}),
                {"native_value": 25.5, "native_unit_of_measurement": "m³"},
            )
        ],
    )
    er.async_get(hass).async_get_or_create(
        "sensor", DOMAIN, f"meter_{WATER.meter_id}_total_m3", suggested_object_id=entity_id[7:]
    )
    meter = replace(meter_of(WATER), fields=("total_m3",))
    assert await setup_integration(hass, wmbus_entry([meter]))
    assert volume(hass) == "25.5"

    client = await hass_client_no_auth()
    assert await post(client, telegram(20.015, "2026-11-22T10:00:00Z")) == "200 accepted: 1"
    await hass.async_block_till_done()
    assert volume(hass) == "25.5"
    assert await post(client, telegram(25.6, "2026-11-22T10:01:00Z")) == "200 accepted: 1"
    await hass.async_block_till_done()
    assert volume(hass) == "25.6"


async def test_silent_meter_becomes_unavailable_on_its_own(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory, freezer: FrozenDateTimeFactory
) -> None:
    """A meter that stops sending goes unavailable, while a meter that keeps sending stays."""
    other = WMBUS_FIXTURES[10]  # Elvaco CMa12w room sensor
    assert await setup_integration(hass, wmbus_entry([meter_of(WATER), meter_of(other)]))
    client = await hass_client_no_auth()
    room = {**other.expected, "timestamp": "2026-11-22T10:00:00Z"}
    assert await post(client, [telegram(20.015, "2026-11-22T10:00:00Z"), room]) == (
        "200 accepted: 2"
    )
    for minute in range(1, 50):
        freezer.tick(timedelta(minutes=1))
        room["timestamp"] = f"2026-11-22T{10 + minute // 60}:{minute % 60:02d}:00Z"
        assert await post(client, room) == "200 accepted: 1"
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    assert volume(hass) == STATE_UNAVAILABLE
    temperature = state_of(hass, "sensor", other.meter_id, "current_temperature_c")
    assert temperature is not None
    assert temperature.state == "23.34"


async def test_installation_without_an_endpoint_gets_one(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """An installation stored before the endpoint existed is given one when it starts."""
    entry = wmbus_entry([meter_of(WATER)], token=None)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, data={"wmbus": {"transport": "http"}})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    webhook_id = entry.data["wmbus"]["webhook_id"]
    assert len(webhook_id) == 64
    client = await hass_client_no_auth()
    response = await client.post(
        f"/api/webhook/{webhook_id}", data=json.dumps(telegram(20.015, "2026-11-22T10:00:00Z"))
    )
    assert (response.status, (await response.text()).strip()) == (200, "accepted: 1")


async def test_meters_heard_long_ago_are_forgotten(
    hass: HomeAssistant, client: TestClient[Any, Any], freezer: FrozenDateTimeFactory
) -> None:
    """Unclaimed meters stay listed for a while, not for ever."""
    coordinator = hass.config_entries.async_entries("benext")[0].runtime_data.buses["wmbus"]
    first = {**telegram(1.0, "2026-11-22T10:01:00Z"), "id": "12345678"}
    assert await post(client, first) == "200 unknown_meter: 1"
    freezer.tick(timedelta(hours=1))
    second = {**telegram(1.0, "2026-11-22T11:01:00Z"), "id": "87654321"}
    assert await post(client, second) == "200 unknown_meter: 1"

    assert list(coordinator.heard) == ["87654321"]


async def test_bad_field_skips_that_field_only(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """A field that holds the wrong kind of value is skipped; the telegram's others are shown."""
    room = WMBUS_FIXTURES[10]  # Elvaco CMa12w, battery "BATTERY_330"
    assert await setup_integration(hass, wmbus_entry([meter_of(WATER), meter_of(room)]))
    client = await hass_client_no_auth()
    with caplog.at_level(logging.WARNING):
        bad_water = telegram(
            20.5,
            "2026-11-22T10:00:00Z",
            flow_temperature_c="warm",
            external_temperature_c="7",
            max_flow_m3h=[1],
            status=7,
            time_leaking=3,
        )
        bad_room = {
            **room.expected,
            "battery": "BATTERY_3\u00b30",
            "status": {"nested": "OK"},
            "current_temperature_c": 21.5,
            "timestamp": "2026-11-22T10:00:00Z",
        }
        assert await post(client, [bad_water, bad_room]) == "200 accepted: 2"
        await hass.async_block_till_done()
        numeric_battery = {**bad_room, "battery": 330, "timestamp": "2026-11-22T10:01:00Z"}
        assert await post(client, numeric_battery) == "200 accepted: 1"
        await hass.async_block_till_done()

    assert volume(hass) == "20.5"
    temperature = state_of(hass, "sensor", room.meter_id, "current_temperature_c")
    assert temperature is not None
    assert temperature.state == "21.5"
    average = state_of(hass, "sensor", room.meter_id, "average_temperature_1h_c")
    assert average is not None
    assert average.state == "23.28"
    for key in ("flow_temperature_c", "external_temperature_c", "max_flow_m3h"):
        assert state_of(hass, "sensor", WATER.meter_id, key) is None
    battery = state_of(hass, "sensor", room.meter_id, "battery")
    assert battery is not None
    assert battery.state == STATE_UNAVAILABLE  # no readable value yet
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


async def test_unknown_ids_are_offered_up_to_a_cap(
    hass: HomeAssistant, client: TestClient[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """A thousand invented ids start no more than the cap of discoveries, logged once."""
    coordinator = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.buses["wmbus"]
    with caplog.at_level(logging.WARNING):
        for batch in range(4):
            strangers = [
                {**telegram(1.0, "2026-11-22T10:01:00Z"), "id": f"{10_000_000 + batch * 250 + n}"}
                for n in range(250)
            ]
            assert await post(client, strangers) == "200 unknown_meter: 250"
        await hass.async_block_till_done()

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == WMBUS_MAX_DISCOVERIES
    assert len(coordinator.heard) == WMBUS_MAX_HEARD
    assert caplog.text.count("no more are offered") == 1
    assert caplog.text.count("only the first are listed") == 1
    # A meter listed already is still heard anew.
    first = {**telegram(1.0, "2026-11-22T10:02:00Z"), "id": "10000000", "rssi_dbm": -60}
    assert await post(client, first) == "200 unknown_meter: 1"
    assert coordinator.heard["10000000"].rssi_dbm == -60


async def test_invented_fields_are_capped(
    hass: HomeAssistant, client: TestClient[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """A telegram with 300 invented fields gives the meter no more than the cap of fields."""
    invented = {f"invented_{n:03d}_c": n for n in range(300)}
    with caplog.at_level(logging.WARNING):
        for minute in (1, 2):
            later = telegram(20.1, f"2026-11-22T10:0{minute}:00Z", **invented)
            assert await post(client, later) == "200 accepted: 1"
            await hass.async_block_till_done()

    entry = hass.config_entries.async_entries(DOMAIN)[0]
    subentry = entry.subentries[f"meter_{WATER.meter_id}"]
    assert len(subentry.data["fields"]) == WMBUS_MAX_FIELDS
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    invented_entities = [e for e in entities if "_invented_" in e.unique_id]
    assert 0 < len(invented_entities) < WMBUS_MAX_FIELDS
    assert caplog.text.count(f"sends more than {WMBUS_MAX_FIELDS} fields") == 1
    assert volume(hass) == "20.1"


async def test_long_status_is_shortened(
    hass: HomeAssistant, client: TestClient[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """A status text over 255 characters is shown cut short, not refused on every telegram."""
    status = " ".join(f"FLAG_{n:03d}" for n in range(40))
    assert len(status) > MAX_LENGTH_STATE_STATE
    with caplog.at_level(logging.WARNING):
        for minute in (1, 2):
            later = telegram(20.5, f"2026-11-22T10:0{minute}:00Z", status=status)
            assert await post(client, later) == "200 accepted: 1"
            await hass.async_block_till_done()
    shown = state_of(hass, "sensor", WATER.meter_id, "status")
    assert shown is not None
    assert len(shown.state) == MAX_LENGTH_STATE_STATE
    assert shown.state == status[: MAX_LENGTH_STATE_STATE - 1] + "\u2026"
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
