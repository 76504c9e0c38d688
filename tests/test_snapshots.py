"""One installation with every bus and every kind of meter, as a user sees it (snapshots).

The smart meter with its gas meter reads a DSMR 5 fixture telegram from a P1 network reader,
the PV, heat pump and ventilation kWh meters answer on the Modbus TCP peer, and the wM-Bus
meters (heat, water with a leak, room, heat cost allocator) post wmbusmeters' JSON of the
fixture telegrams to the installation's endpoint. The clock is frozen, so that every state
is the same on every run; the peers' loopback ports are left out of the snapshots.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import Credentials
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    CLIENT_ID,
    MockConfigEntry,
    MockUser,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.benext.const import CONF_MODBUS_POLL_INTERVAL, DOMAIN
from tests import setup_integration
from tests.modbus_helpers import modbus_meter_subentry
from tests.p1_helpers import smart_meter_subentry
from tests.peers import ModbusTcpPeer, P1TelegramServer, network
from tests.wmbus_fixtures import WMBUS_FIXTURES, WmbusFixture
from tests.wmbus_helpers import meter_of
from tests.wmbus_peers import TOKEN, WEBHOOK_ID, Meter, wmbus_meter_subentry

pytestmark = pytest.mark.usefixtures("socket_enabled", "entity_registry_enabled_by_default")

# The clock: the installation is set up at START, and the wM-Bus meters post; SETTLED later
# the next Modbus poll (at the shortest interval) and the P1 reader's next telegram deliver
# what the entities need; at NOW every bus has had its check, 30 s after its first contact.
# No step is 30 s long, the silence after which the P1 link counts as lost.
START = datetime(2026, 11, 22, 9, 59, 29, tzinfo=UTC)
POLL_SECONDS = 5
SETTLED = START + timedelta(seconds=POLL_SECONDS + 1)
NOW = START + timedelta(seconds=31)
HEAT = WMBUS_FIXTURES[8]  # Axioma Qalcosonic E4 on space heating, status OK
WATER_DRY, WATER_LEAK = WMBUS_FIXTURES[2], WMBUS_FIXTURES[3]  # Kamstrup Multical 21 76348799
ROOM = WMBUS_FIXTURES[10]  # Elvaco CMa12w
HEAT_COST = WMBUS_FIXTURES[12]  # Qundis Q caloric
# What each meter posts, in this order: the water meter is dry first, then it leaks.
POSTS: list[tuple[WmbusFixture, str]] = [
    (HEAT, "2026-11-22T09:59:05Z"),
    (WATER_DRY, "2026-11-22T09:59:12Z"),
    (ROOM, "2026-11-22T09:59:16Z"),
    (HEAT_COST, "2026-11-22T09:59:20Z"),
    (WATER_LEAK, "2026-11-22T09:59:28Z"),
]
PLATFORMS = {Platform.BINARY_SENSOR, Platform.BUTTON, Platform.EVENT, Platform.SENSOR}
# BeNext signs an installation off after 14 days: a fresh one has no validation date yet;
# a button never pressed has no state.
NOT_YET_KNOWN = {
    "sensor.demo_home_validation_date",
    "button.demo_home_reset_validation_start",
    # Unknown until the year's first kWh is counted: the meters were read once.
    "sensor.demo_home_nom_on_track",
}


def wmbus_meter(fixture: WmbusFixture) -> Meter:
    """The subentry of the fixture's meter, its id random-like as a real one (no meter id)."""
    meter = meter_of(fixture)
    return replace(meter, subentry_id=f"{meter.role}_meter")


@pytest.fixture
def whole_installation(
    p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> MockConfigEntry:
    """All three buses: the smart meter, the three kWh meters and four wM-Bus meters."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        version=1,
        minor_version=1,
        data={
            "p1": {"transport": "network", "network": network(p1_server.port)},
            "modbus": {"transport": "tcp", "network": network(modbus_server.port)},
            "wmbus": {"transport": "http", "webhook_id": WEBHOOK_ID, "token": TOKEN},
        },
        options={CONF_MODBUS_POLL_INTERVAL: POLL_SECONDS},
        subentries_data=[
            smart_meter_subentry(p1_server.telegram),
            modbus_meter_subentry("pv", 2, "eastron_sdm630"),
            modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
            modbus_meter_subentry("ventilation", 4, "eastron_sdm220"),
            *(wmbus_meter_subentry(wmbus_meter(f)) for f in (HEAT, WATER_DRY, ROOM, HEAT_COST)),
        ],
        entry_id="01JBENEXTWHOLEHOME00000000",
    )


def tick_to(hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime) -> None:
    """Move the frozen clock on to `when`, and run what was due by then."""
    freezer.move_to(when)
    async_fire_time_changed(hass)


async def settle(hass: HomeAssistant, done: Callable[[], bool], what: str) -> None:
    """Let the loop run until `done()`: with the clock frozen, only I/O moves things on."""
    for _ in range(20_000):
        await hass.async_block_till_done()
        if done():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"no {what}")


async def set_up_with_every_meter_read(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
) -> None:
    """Set the installation up and let every meter deliver its values, by NOW."""
    freezer.move_to(START)
    assert await setup_integration(hass, entry)
    # The wM-Bus meters: wmbusmeters' JSON of each fixture telegram, posted to the endpoint.
    client = await hass_client_no_auth()
    for fixture, at in POSTS:
        response = await client.post(
            f"/api/webhook/{WEBHOOK_ID}",
            data=json.dumps({**fixture.expected, "timestamp": at}),
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert (response.status, (await response.text()).strip()) == (200, "accepted: 1")
        await hass.async_block_till_done()
    # Only the main values were read while the entities were added, and the P1 reader's
    # first telegram came before them: the next poll and telegram deliver the rest.
    tick_to(hass, freezer, SETTLED)
    await settle(
        hass,
        lambda: (
            all(
                (state := hass.states.get(entity_id)) is not None and state.state == value
                for entity_id, value in (
                    ("sensor.smart_meter_p1_energy_import_tariff_1", "4.426"),
                    ("sensor.gas_meter_demo_home_gas", "0.107"),
                    ("sensor.pv_modbus_2_voltage_phase_1", "231.2"),
                    ("sensor.ventilation_modbus_4_power_factor", "0.62"),
                )
            )
            and not entry.runtime_data.buses["modbus"].client._lock.locked()
        ),
        "second P1 telegram and Modbus poll",
    )
    # Every bus's check (the meters' ticks) and one more Modbus poll.
    tick_to(hass, freezer, NOW)
    await settle(
        hass,
        lambda: (
            all(
                state.state == "ok"
                for state in hass.states.async_all("sensor")
                if state.entity_id.endswith("_product_status")
            )
            and entry.runtime_data.buses["modbus"].readings["meter_ventilation"].read_at == NOW
        ),
        "check of every bus",
    )


async def test_every_entity_of_every_bus(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
    whole_installation: MockConfigEntry,
) -> None:
    """Each entity's registry entry and state, and each device, all entities enabled."""
    entry = whole_installation
    await set_up_with_every_meter_read(hass, hass_client_no_auth, freezer, entry)

    entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert {entity.domain for entity in entities} == PLATFORMS
    for entity in sorted(entities, key=lambda entity: entity.entity_id):
        assert entity.disabled_by is None
        assert entity == snapshot(name=f"{entity.entity_id}-entry")
        state = hass.states.get(entity.entity_id)
        assert state is not None, entity.entity_id
        # Every meter delivered: no entity waits for a value.
        if entity.entity_id not in NOT_YET_KNOWN:
            assert state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN), entity.entity_id
        assert state == snapshot(name=f"{entity.entity_id}-state")

    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    for device in sorted(devices, key=lambda device: device.name or ""):
        assert device == snapshot(name=f"{device.name}-device")


async def test_diagnostics_of_every_bus(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    hass_admin_user: MockUser,
    hass_admin_credential: Credentials,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
    whole_installation: MockConfigEntry,
) -> None:
    """Diagnostics of P1, RS485 and wM-Bus at once, with every address, id and key redacted."""
    entry = whole_installation
    # Before the endpoint's HTTP server starts, which takes no new routes after.
    assert await async_setup_component(hass, "diagnostics", {})
    await set_up_with_every_meter_read(hass, hass_client_no_auth, freezer, entry)

    # An access token issued on the frozen clock: the fixture's, issued before, is not valid yet.
    refresh_token = await hass.auth.async_create_refresh_token(
        hass_admin_user, CLIENT_ID, credential=hass_admin_credential
    )
    access_token = hass.auth.async_create_access_token(refresh_token)
    diagnostics: dict[str, Any] = await get_diagnostics_for_config_entry(
        hass, lambda: hass_client(access_token), entry
    )

    assert set(diagnostics["buses"]) == {"p1", "modbus", "wmbus"}
    # The peers' loopback ports change from run to run.
    assert diagnostics == snapshot(exclude=props("port"))
    text = str(diagnostics)
    for secret in ("127.0.0.1", WEBHOOK_ID, TOKEN, *(f.meter_id for f, _ in POSTS)):
        assert secret not in text
