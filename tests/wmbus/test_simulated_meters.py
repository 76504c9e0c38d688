"""The simulated home's wireless M-Bus meters, through the real wmbusmeters and curl.

The peer (`scripts/simulated_home/wmbus.py`) runs the installed wmbusmeters, which posts
every decoded telegram with curl to a small aiohttp server on loopback standing in for
Home Assistant's webhook.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from datetime import datetime
import itertools
import json
import shutil
from typing import Any

from aiohttp import web
import pytest

from simulated_home import endpoints, wmbus_meters, wmbus_telegrams
from simulated_home.wmbus import SentTelegram, WmbusPeer
from simulated_home.wmbus_frames import FrameTemplate, date_time_f, integer
from tests.wmbus_fixtures import WMBUS_FIXTURES

TOKEN = "test-token"  # noqa: S105
WMBUSMETERS = shutil.which("wmbusmeters") or "/usr/bin/wmbusmeters"
ZONE = wmbus_meters.ZONE
# 07:20 local on a March morning: heating on, showers, and a leak 5 minutes later.
MORNING = datetime(2026, 3, 10, 7, 20, tzinfo=ZONE).timestamp()
COLD_WATER = "76348799"


@dataclass
class Webhook:
    """A stand-in for Home Assistant's webhook: keeps what was posted, answers `status`."""

    status: int = 200
    posts: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.posts.append(json.loads(await request.text()))
        self.headers.append(dict(request.headers))
        return web.Response(status=self.status, text="accepted" if self.status == 200 else "no")

    def of(self, meter_id: str) -> list[dict[str, Any]]:
        return [post for post in self.posts if post["id"] == meter_id]


@pytest.fixture
async def webhook(socket_enabled: None) -> AsyncGenerator[Webhook]:
    hook = Webhook()
    app = web.Application()
    app.router.add_post("/api/webhook/{webhook_id}", hook.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    hook.url = f"http://{host}:{port}/api/webhook/demo"
    yield hook
    await runner.cleanup()


def stepping_clock(start: float, step: float) -> Callable[[], float]:
    """Simulated time that moves on by `step` seconds each time it is read."""
    ticks = itertools.count()
    return lambda: start + step * next(ticks)


async def wait_for(condition: Callable[[], bool], peer: WmbusPeer, seconds: float = 30) -> None:
    async with asyncio.timeout(seconds):
        while not condition():
            assert peer.running, "wmbusmeters stopped"
            await asyncio.sleep(0.05)


def expected_fields(sent: SentTelegram) -> dict[str, Any]:
    """What wmbusmeters must show for a telegram, from the simulated meter's reading."""
    role = endpoints.WMBUS_METERS[sent.meter_id][0]
    if role in {"space_heating", "hot_tap_water"}:
        heat = (
            wmbus_meters.space_heating if role == "space_heating" else wmbus_meters.hot_tap_water
        )(sent.ts)
        # The E4 sends whole MJ, the E3 whole kWh.
        kwh = heat.energy_kj // 1000 / 3.6 if role == "space_heating" else heat.energy_kj // 3600
        return {
            "total_heat_energy_kwh": pytest.approx(kwh, abs=1e-6),
            "total_m3": pytest.approx(heat.volume_l / 1000),
            "power_kw": pytest.approx(heat.power_w / 1000),
            "volume_flow_m3h": pytest.approx(heat.flow_l_per_h / 1000),
            "flow_temperature_c": pytest.approx(heat.flow_c),
            "return_temperature_c": pytest.approx(heat.return_c),
            "meter_datetime": heat.local.strftime("%Y-%m-%d %H:%M"),
            "total_cooling_energy_kwh": 0,
            "status": "OK",
        }
    if role == "cold_water":
        water = wmbus_meters.cold_water(sent.ts)
        return {
            "total_m3": pytest.approx(water.total_l / 1000),
            "target_m3": pytest.approx(water.target_l / 1000),
            "status": "LEAK" if water.leaking else "OK",
            "time_leaking": "1-8 hours" if water.leaking else "",
        }
    room = wmbus_meters.room_climate(sent.ts)
    return {
        "current_temperature_c": pytest.approx(room.temperature_c),
        "average_temperature_1h_c": pytest.approx(room.average_1h_c),
    }


async def test_wmbusmeters_posts_every_meter_and_the_leak(webhook: Webhook) -> None:
    """Each meter's telegrams arrive decoded, with its values; the leak comes and goes."""
    peer = WmbusPeer(
        webhook.url,
        TOKEN,
        interval_scale=0.01,
        clock=stepping_clock(MORNING, 20),
        wmbusmeters=WMBUSMETERS,
        quiet=True,
    )
    await peer.start()
    try:

        def leak_came_and_went() -> bool:
            statuses = [post["status"] for post in webhook.of(COLD_WATER)]
            return "LEAK" in statuses and "OK" in statuses[statuses.index("LEAK") :]

        await wait_for(
            lambda: (
                leak_came_and_went()
                and all(webhook.of(meter_id) for meter_id in endpoints.WMBUS_METERS)
            ),
            peer,
        )
    finally:
        await peer.stop()
    assert not peer.running

    assert webhook.of(COLD_WATER)[0]["status"] == "OK"
    for meter_id, (role, driver) in endpoints.WMBUS_METERS.items():
        posts = webhook.of(meter_id)
        sent = [telegram for telegram in peer.sent if telegram.meter_id == meter_id]
        # wmbusmeters decodes and posts in the order it was given the telegrams.
        assert len(posts) <= len(sent)
        for post, telegram in zip(posts, sent, strict=False):
            assert post["meter"] == driver
            assert post["name"] == role
            assert {key: post.get(key) for key in expected_fields(telegram)} == expected_fields(
                telegram
            )
        totals = [post.get("total_m3", 0) for post in posts]
        assert totals == sorted(totals)
    assert all(headers["Authorization"] == f"Bearer {TOKEN}" for headers in webhook.headers)
    assert all(headers["Content-Type"] == "application/json" for headers in webhook.headers)
    assert set(peer.statuses) == {"200"}


async def test_refusals_are_counted_and_said_once(
    webhook: Webhook, capsys: pytest.CaptureFixture[str]
) -> None:
    """A webhook that answers 401: every post counts as one, the peer says so once."""
    webhook.status = 401
    peer = WmbusPeer(
        webhook.url,
        "wrong",
        interval_scale=0.01,
        clock=stepping_clock(MORNING, 20),
        wmbusmeters=WMBUSMETERS,
    )
    await peer.start()
    try:
        await wait_for(lambda: peer.statuses["401"] >= 6, peer)
    finally:
        await peer.stop()
    assert set(peer.statuses) == {"401"}
    refusals = [line for line in capsys.readouterr().out.splitlines() if "HTTP 401" in line]
    assert len(refusals) == 1
    assert refusals[0].endswith(": no")


async def test_nothing_listening(capsys: pytest.CaptureFixture[str]) -> None:
    """Posts that reach nobody count as status 000, said once with curl's reason."""
    peer = WmbusPeer(
        "http://127.0.0.1:9/api/webhook/demo",
        None,
        interval_scale=0.01,
        clock=stepping_clock(MORNING, 20),
        wmbusmeters=WMBUSMETERS,
    )
    await peer.start()
    try:
        await wait_for(lambda: peer.statuses["000"] >= 4, peer)
    finally:
        await peer.stop()
    assert set(peer.statuses) == {"000"}
    failures = [line for line in capsys.readouterr().out.splitlines() if "nothing answers" in line]
    assert len(failures) == 1
    assert "curl: (7)" in failures[0]


async def test_without_wmbusmeters(capsys: pytest.CaptureFixture[str]) -> None:
    """No wmbusmeters: the peer says so once, and stops without having started anything."""
    peer = WmbusPeer("http://127.0.0.1:9/", None, wmbusmeters="no-such-wmbusmeters")
    await peer.start()
    assert not peer.running
    await peer.stop()
    out = capsys.readouterr().out
    assert out.count("not found") == 1
    assert "no-such-wmbusmeters" in out
    assert peer.sent == []


def test_templates_are_the_upstream_telegrams() -> None:
    """Rendering nothing new gives the fixture telegrams back, ELL payload CRC included."""
    by_meter = {
        (fixture.meter_id, fixture.kind): fixture.telegram_hex.upper() for fixture in WMBUS_FIXTURES
    }
    assert (
        wmbus_telegrams._QUALCOSONIC_E4.render({}).hex().upper()
        == by_meter[("29481002", "pre_decrypted_simulation")]
    )
    assert (
        wmbus_telegrams._QUALCOSONIC_E3.render({}).hex().upper()
        == by_meter[("03016408", "plain_unencrypted")]
    )
    assert (
        wmbus_telegrams._MULTICAL_21.render({}).hex().upper()
        == by_meter[("76348799", "pre_decrypted_simulation")]
    )
    assert (
        wmbus_telegrams._CMA12W.render({}).hex().upper()
        == by_meter[("66666666", "pre_decrypted_simulation")]
    )


def test_edited_kamstrup_payload_gets_a_new_crc() -> None:
    """Info code 0x0C04 gives the fixtures' synthetic LEAK telegram, with its recomputed CRC."""
    leak = next(
        f for f in WMBUS_FIXTURES if f.kind == "synthetic" and f.expected["status"] == "LEAK"
    )
    rendered = wmbus_telegrams._MULTICAL_21.render({"info_code": integer(0x0C04, 2)})
    assert rendered.hex().upper() == leak.telegram_hex.upper()


def test_frame_template_refuses_ambiguous_headers_and_wrong_sizes() -> None:
    with pytest.raises(ValueError, match="exactly once"):
        FrameTemplate.parse("0102010203", {"twice": "01"})
    template = FrameTemplate.parse("AA_0413000000000259FFFF", {"volume": "0413", "flow_c": "0259"})
    assert template.fields == {"volume": (3, 4), "flow_c": (9, 2)}
    with pytest.raises(ValueError, match="takes 2 bytes"):
        template.render({"flow_c": integer(1, 4)})


def test_date_time_type_f() -> None:
    """The E4 example's meter time, 2023-02-01 01:35, is 23 01 E1 22."""
    assert date_time_f(datetime(2023, 2, 1, 1, 35)) == bytes.fromhex("2301E122")
    assert date_time_f(datetime(2021, 5, 31, 23, 59)) == bytes.fromhex("3B17BF25")


def test_totals_never_go_backwards() -> None:
    """Over two days every total only grows, and each meter's grows by a plausible amount."""
    instants = [MORNING + n * 617 for n in range(2 * 86400 // 617)]
    heating = [wmbus_meters.space_heating(ts) for ts in instants]
    hot = [wmbus_meters.hot_tap_water(ts) for ts in instants]
    cold = [wmbus_meters.cold_water(ts).total_l for ts in instants]
    for series in (
        [r.energy_kj for r in heating],
        [r.volume_l for r in heating],
        [r.energy_kj for r in hot],
        [r.volume_l for r in hot],
        cold,
    ):
        assert series == sorted(series)
        assert series[-1] > series[0]
    assert 50 < (hot[-1].volume_l - hot[0].volume_l) / 2 < 400  # litres a day
    assert 100 < (cold[-1] - cold[0]) / 2 < 600
    assert any(r.power_w > 0 for r in heating)
    assert any(r.power_w == 0 for r in heating)


def test_water_volumes_move_within_minutes() -> None:
    """The demo's water totals never stay flat for 25 minutes by day, nor for two hours at night."""
    day = [MORNING + n * 60 for n in range(12 * 60)]
    for total in (
        lambda ts: wmbus_meters.cold_water(ts).total_l,
        lambda ts: wmbus_meters.hot_tap_water(ts).volume_l,
    ):
        values = [total(ts) for ts in day]
        assert all(values[n + 25] > values[n] for n in range(len(values) - 25))
    night = [MORNING - 6 * 3600 + n * 60 for n in range(5 * 60)]  # 01:00 to 06:00
    cold = [wmbus_meters.cold_water(ts).total_l for ts in night]
    assert all(cold[n + 120] > cold[n] for n in range(len(cold) - 120))


def test_leak_five_minutes_every_half_hour() -> None:
    minutes = [wmbus_meters.leaking(MORNING + 60 * n) for n in range(60)]
    assert sum(minutes) == 10
    assert minutes[5:10] == [True] * 5
    assert minutes[35:40] == [True] * 5


def test_meters_are_the_demo_installations() -> None:
    """The simulated meters are the ones the demo installation has as subentries."""
    assert {m.meter_id: (m.role, m.driver) for m in wmbus_telegrams.METERS} == (
        endpoints.WMBUS_METERS
    )
    assert endpoints.WMBUS_URL.endswith(f"/api/webhook/{endpoints.WMBUS_WEBHOOK_ID}")
