"""A total that jumps beyond what its meter can count: held, raised as a repair, accepted."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from homeassistant.components.repairs import DOMAIN as REPAIRS_DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest

from custom_components.benext.const import DOMAIN
from custom_components.benext.coordinator import HELD_TOTAL_ISSUE as HELD
from tests import setup_integration
from tests.wmbus_fixtures import WMBUS_FIXTURES
from tests.wmbus_helpers import ClientFactory, meter_of, state_of
from tests.wmbus_peers import TOKEN, WEBHOOK_ID, wmbus_entry

pytestmark = pytest.mark.usefixtures("socket_enabled")

WATER = WMBUS_FIXTURES[1]  # Kamstrup Multical 21 44556677, total 20.015 m³
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def telegram(total_m3: float, at: str) -> dict[str, Any]:
    """The water meter's telegram with another total."""
    return {**WATER.expected, "total_m3": total_m3, "timestamp": at}


def volume(hass: HomeAssistant) -> str:
    """The water meter's volume as shown."""
    state = state_of(hass, "sensor", WATER.meter_id, "total_m3")
    assert state is not None
    return state.state


async def test_a_jump_is_held_until_the_user_accepts_it(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory, hass_client: ClientFactory
) -> None:
    """A jump repeated by every telegram is never shown by itself: the user decides."""
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})
    entry = wmbus_entry([meter_of(WATER)])
    assert await setup_integration(hass, entry)
    client = await hass_client_no_auth()

    async def post(total: float, second: int) -> None:
        body = json.dumps(telegram(total, f"2026-11-22T10:00:{second:02d}Z"))
        response = await client.post(f"/api/webhook/{WEBHOOK_ID}", data=body, headers=AUTH)
        assert response.status == 200
        await hass.async_block_till_done()

    await post(20.015, 0)
    # A meter swapped for one at 900 m³: no water meter counts that in seconds.
    for second in range(1, 6):
        await post(900.0 + second / 1000, second)
        assert volume(hass) == "20.015"
    issues = [
        issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue_id.startswith("total_jump_")
    ]
    assert len(issues) == 1
    assert issues[0].translation_key == "total_jump"
    assert issues[0].is_fixable
    assert issues[0].translation_placeholders is not None
    # Named as the user sees the total, with its unit.
    assert issues[0].translation_placeholders == {
        "meter": "cold_water · wM-Bus 44556677",
        "total": "Volume",
        "last": "20.015 m³",
        "new": "900.003 m³",
    }

    # The repair's fix flow: accept the new value.
    http = await hass_client()
    response = await http.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issues[0].issue_id}
    )
    flow = await response.json()
    assert flow["type"] == "menu"
    assert flow["menu_options"] == ["accept", "ignore"]
    response = await http.post(
        f"/api/repairs/issues/fix/{flow['flow_id']}", json={"next_step_id": "accept"}
    )
    assert (await response.json())["type"] == "create_entry"
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issues[0].issue_id) is None

    await post(900.01, 6)
    assert volume(hass) == "900.01"


async def test_a_passing_glitch_raises_nothing(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """One spike between good telegrams is ignored quietly: no repair issue."""
    assert await setup_integration(hass, wmbus_entry([meter_of(WATER)]))
    client = await hass_client_no_auth()
    for second, total in enumerate((20.015, 9e6, 20.02)):
        body = json.dumps(telegram(total, f"2026-11-22T10:00:{second:02d}Z"))
        await client.post(f"/api/webhook/{WEBHOOK_ID}", data=body, headers=AUTH)
        await hass.async_block_till_done()
    assert volume(hass) == "20.02"
    assert not [i for (d, i) in ir.async_get(hass).issues if d == DOMAIN and i.startswith(HELD)]


async def test_a_held_jump_can_be_kept_ignored(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory, hass_client: ClientFactory
) -> None:
    """Keep ignoring: the last good value stays, the issue is set aside."""
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})
    assert await setup_integration(hass, wmbus_entry([meter_of(WATER)]))
    client = await hass_client_no_auth()
    for second, total in enumerate((20.015, 900.0, 900.0, 900.0)):
        body = json.dumps(telegram(total, f"2026-11-22T10:00:{second:02d}Z"))
        await client.post(f"/api/webhook/{WEBHOOK_ID}", data=body, headers=AUTH)
        await hass.async_block_till_done()
    (issue_id,) = [i for (d, i) in ir.async_get(hass).issues if d == DOMAIN and i.startswith(HELD)]

    http = await hass_client()
    response = await http.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    flow = await response.json()
    response = await http.post(
        f"/api/repairs/issues/fix/{flow['flow_id']}", json={"next_step_id": "ignore"}
    )
    assert (await response.json())["reason"] == "ignored"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.dismissed_version is not None
    assert volume(hass) == "20.015"


async def test_a_telegram_from_the_future_blocks_nothing(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """A receiver stamping 2100 with a huge total: neither is believed, later ones still are."""
    assert await setup_integration(hass, wmbus_entry([meter_of(WATER)]))
    client = await hass_client_no_auth()
    now = dt_util.utcnow()
    posts = [
        telegram(20.015, (now - timedelta(seconds=2)).isoformat()),
        telegram(1_000_000.0, "2100-01-01T00:00:00Z"),
        telegram(20.02, now.isoformat()),
    ]
    for body in posts:
        response = await client.post(
            f"/api/webhook/{WEBHOOK_ID}", data=json.dumps(body), headers=AUTH
        )
        assert (await response.text()).strip() == "accepted: 1"
        await hass.async_block_till_done()
    assert volume(hass) == "20.02"
