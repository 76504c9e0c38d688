"""The demo installation that `scripts/develop` seeds: every entity it gets, pinned.

The installation is the one `scripts/seed_demo_entry.py` writes (its own `main`, into a
temporary config folder), with its buses moved to free loopback ports: the simulated home's
RS485 bus and its wmbusmeters (the real program, posting with curl to the installation's
endpoint), and a P1 network reader streaming the simulated home's smart meter with its gas
meter. Once every meter has delivered, the entity registry is snapshotted: which entities
exist, their ids, and which are disabled by default.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import datetime
import json
from pathlib import Path
import shutil

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
import seed_demo_entry
from syrupy.assertion import SnapshotAssertion

from simulated_home import endpoints, home_energy, p1
from simulated_home.rs485_home import HomeRs485Bus
from simulated_home.wmbus import WmbusPeer
from tests import setup_integration
from tests.peers import LOOPBACK, P1TelegramServer, free_port

pytestmark = pytest.mark.usefixtures("socket_enabled")

WMBUSMETERS = shutil.which("wmbusmeters") or "/usr/bin/wmbusmeters"
# The wM-Bus meters' simulated time: early in the simulated year, so that their first
# telegrams need not sum up months of readings.
WMBUS_CLOCK = datetime(2026, 1, 1, 0, 20, tzinfo=home_energy.HOME_ZONE).timestamp()


@pytest.fixture
async def home_p1() -> AsyncGenerator[P1TelegramServer]:
    """The simulated home's smart meter, streamed by a network reader on loopback."""
    server = P1TelegramServer(p1.telegram_at(WMBUS_CLOCK))
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def rs485_home() -> AsyncGenerator[HomeRs485Bus]:
    """The simulated home's RS485 bus (its three kWh meters) on a free loopback port."""
    bus = HomeRs485Bus(LOOPBACK, free_port())
    await bus.start()
    yield bus
    await bus.stop()


def seeded_demo_entry(
    config_dir: Path, p1_port: int, modbus_port: int, monkeypatch: pytest.MonkeyPatch
) -> MockConfigEntry:
    """The demo installation as the seeder writes it, its buses at the given ports."""
    monkeypatch.setattr(endpoints, "P1_PORT", p1_port)
    monkeypatch.setattr(endpoints, "MODBUS_PORT", modbus_port)
    assert seed_demo_entry.main(config_dir) == 0
    stored = json.loads((config_dir / ".storage" / "core.config_entries").read_text())
    (entry,) = stored["data"]["entries"]
    return MockConfigEntry(
        domain=entry["domain"],
        entry_id=entry["entry_id"],
        title=entry["title"],
        data=entry["data"],
        options=entry["options"],
        version=entry["version"],
        minor_version=entry["minor_version"],
        source=entry["source"],
        unique_id=entry["unique_id"],
        subentries_data=entry["subentries"],
    )


async def wait_until_every_wmbus_meter_delivered(
    entry: MockConfigEntry, peer: WmbusPeer, seconds: float = 20
) -> None:
    """Wait on the real clock until each wM-Bus meter stored the fields of a telegram."""
    meters = [s for s in entry.subentries.values() if s.subentry_type == "wmbus_meter"]
    assert len(meters) == len(endpoints.WMBUS_METERS)
    async with asyncio.timeout(seconds):
        while not all(entry.subentries[s.subentry_id].data.get("fields") for s in meters):
            assert peer.running, "wmbusmeters stopped"
            await asyncio.sleep(0.05)


async def test_demo_installation_entity_registry(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    home_p1: P1TelegramServer,
    rs485_home: HomeRs485Bus,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each entity of the demo home: platform, unique id, entity id, disabled or not."""
    entry = seeded_demo_entry(tmp_path, home_p1.port, rs485_home.peer.port, monkeypatch)
    assert entry.title == "Demo home"
    assert await setup_integration(hass, entry)
    client = await hass_client_no_auth()
    peer = WmbusPeer(
        str(client.make_url(f"/api/webhook/{endpoints.WMBUS_WEBHOOK_ID}")),
        endpoints.WMBUS_TOKEN,
        interval_scale=0.01,
        clock=lambda: WMBUS_CLOCK,
        wmbusmeters=WMBUSMETERS,
        quiet=True,
    )
    await peer.start()
    try:
        await wait_until_every_wmbus_meter_delivered(entry, peer)
    finally:
        await peer.stop()
    await hass.async_block_till_done()
    assert peer.statuses
    assert all(status.startswith("2") for status in peer.statuses), peer.statuses

    # The entry's and the subentries' ids are random: name them by what they are.
    ids = {entry.entry_id: "<Demo home>"} | {
        subentry.subentry_id: f"<{subentry.title}>" for subentry in entry.subentries.values()
    }

    def stable(unique_id: str) -> str:
        owner, _, key = unique_id.partition("_")
        return f"{ids[owner]}_{key}" if owner in ids else unique_id

    entities = sorted(
        (
            registered.domain,
            stable(registered.unique_id),
            registered.entity_id,
            None if registered.disabled_by is None else registered.disabled_by.value,
        )
        for registered in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    )
    assert entities == snapshot
