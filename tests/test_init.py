"""Set-up, unload and recovery of an installation."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.benext.const import DOMAIN, PUSH_SILENCE_LIMIT
from tests import setup_integration
from tests.modbus_helpers import modbus_meter_subentry
from tests.peers import ModbusTcpPeer, P1TelegramServer, free_port, network
from tests.wmbus_fixtures import WMBUS_FIXTURES
from tests.wmbus_helpers import ClientFactory, meter_of
from tests.wmbus_peers import TOKEN, WEBHOOK_ID, wmbus_entry

AUTH_HEADER = {"Authorization": f"Bearer {TOKEN}"}


async def test_setup_and_unload(hass: HomeAssistant, mock_config_entry: MockConfigEntry) -> None:
    """Both buses answer: the entry loads, and unloading leaves nothing running."""
    assert await setup_integration(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get("binary_sensor.demo_home_p1").state == STATE_ON
    assert hass.states.get("binary_sensor.demo_home_rs485").state == STATE_ON
    assert hass.states.get("sensor.demo_home_status").state == "ok"

    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.NOT_LOADED


@pytest.mark.usefixtures("socket_enabled")
async def test_not_ready_when_no_bus_answers(hass: HomeAssistant) -> None:
    """Only when no configured bus can be reached does set-up retry later."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Dark home",
        data={
            "p1": {"transport": "network", "network": network(free_port())},
            "modbus": {"transport": "tcp", "network": network(free_port())},
        },
    )
    assert not await setup_integration(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.reason == "None of the installation's buses can be reached (P1, RS485)"


async def test_push_bus_alone_sets_up(hass: HomeAssistant) -> None:
    """wmbusmeters posting to us cannot be checked before its first telegram: no retry loop."""
    entry = MockConfigEntry(domain=DOMAIN, title="Flat 12", data={"wmbus": {"transport": "http"}})
    assert await setup_integration(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    # Nothing has arrived yet, and nothing is late: no alarm, the hub waits for meters.
    assert hass.states.get("binary_sensor.flat_12_wm_bus").state == STATE_UNKNOWN
    assert hass.states.get("sensor.flat_12_status").state == "waiting"


@pytest.mark.usefixtures("socket_enabled")
async def test_push_bus_waits_then_is_late(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory, freezer: FrozenDateTimeFactory
) -> None:
    """After a start a wM-Bus waits for its meters' telegrams; silent too long, it is down."""
    water = WMBUS_FIXTURES[1]
    entry = wmbus_entry([meter_of(water)])
    assert await setup_integration(hass, entry)
    assert hass.states.get("sensor.flat_12_status").state == "waiting"

    freezer.tick(PUSH_SILENCE_LIMIT - timedelta(minutes=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.flat_12_status").state == "waiting"
    assert hass.states.get("binary_sensor.flat_12_wm_bus").state == STATE_UNKNOWN

    freezer.tick(timedelta(minutes=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.flat_12_status").state == "offline"
    assert hass.states.get("binary_sensor.flat_12_wm_bus").state == STATE_OFF

    client = await hass_client_no_auth()
    response = await client.post(
        f"/api/webhook/{WEBHOOK_ID}", json=water.expected, headers=AUTH_HEADER
    )
    assert response.status == 200
    await hass.async_block_till_done()
    assert hass.states.get("sensor.flat_12_status").state == "ok"
    assert hass.states.get("binary_sensor.flat_12_wm_bus").state == STATE_ON


async def test_bus_down_and_recovery(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    p1_server: P1TelegramServer,
) -> None:
    """A bus that is down marks only itself off, and comes back by itself."""
    modbus = ModbusTcpPeer()  # not started yet: the converter is unplugged
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={
            "p1": {"transport": "network", "network": network(p1_server.port)},
            "modbus": {"transport": "tcp", "network": network(modbus.port)},
        },
        subentries_data=[
            {
                "subentry_id": "meter_pv",
                "subentry_type": "kwh_meter",
                "title": "PV · Modbus 2",
                "unique_id": None,
                "data": {"role": "pv", "address": 2, "model": "detect"},
            }
        ],
    )
    assert await setup_integration(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("binary_sensor.demo_home_p1").state == STATE_ON
    assert hass.states.get("binary_sensor.demo_home_rs485").state == STATE_OFF
    assert hass.states.get("sensor.demo_home_status").state == "degraded"
    assert hass.states.get("sensor.pv_modbus_2_product_status").state == "no_data"

    await modbus.start()
    try:
        # The RS485 bus is polled again; the P1 stream keeps its telegrams coming.
        await entry.runtime_data.buses["modbus"].async_refresh()
        await hass.async_block_till_done()

        assert hass.states.get("binary_sensor.demo_home_rs485").state == STATE_ON
        assert hass.states.get("sensor.demo_home_status").state == "ok"

        # The P1 reader goes away: its stream ends, and the bus shows it at once.
        await p1_server.stop()
        # Loop time is frozen here: wait on the real clock.
        deadline = time.monotonic() + 5
        while hass.states.get("binary_sensor.demo_home_p1").state != STATE_OFF:
            assert time.monotonic() < deadline
            await asyncio.sleep(0)

        assert hass.states.get("binary_sensor.demo_home_rs485").state == STATE_ON
        assert hass.states.get("sensor.demo_home_status").state == "degraded"
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await modbus.stop()


async def test_meter_devices_hang_off_the_hub(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Every meter is a device of its own subentry, via the installation's hub device."""
    assert await setup_integration(hass, mock_config_entry)

    hub = device_registry.async_get_device_by_identifier(
        (DOMAIN, mock_config_entry.entry_id), mock_config_entry.entry_id
    )
    assert hub is not None
    assert hub.name == "Demo home"

    pv = device_registry.async_get_device_by_identifier(
        (DOMAIN, "meter_pv"), mock_config_entry.entry_id
    )
    assert pv is not None
    assert pv.via_device_id == hub.id
    assert pv.manufacturer == "Eastron"
    assert pv.model == "SDM630"
    assert pv.config_entry_id == mock_config_entry.entry_id
    assert pv.config_subentry_id == "meter_pv"


async def test_removing_a_meter_removes_its_device(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Deleting a meter's subentry removes its device and entities after the reload."""
    assert await setup_integration(hass, mock_config_entry)
    assert hass.states.get("sensor.ventilation_modbus_4_product_status") is not None

    assert hass.config_entries.async_remove_subentry(mock_config_entry, "meter_ventilation")
    await hass.async_block_till_done()

    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, "meter_ventilation"), mock_config_entry.entry_id
        )
        is None
    )
    assert hass.states.get("sensor.ventilation_modbus_4_product_status") is None
    assert mock_config_entry.state is ConfigEntryState.LOADED


async def test_push_bus_online_while_telegrams_arrive(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A push bus is online from its first telegram until it has been silent too long."""
    entry = MockConfigEntry(domain=DOMAIN, title="Flat 12", data={"wmbus": {"transport": "http"}})
    assert await setup_integration(hass, entry)
    coordinator = entry.runtime_data.buses["wmbus"]

    coordinator.async_note_contact()
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.flat_12_wm_bus").state == STATE_ON
    assert hass.states.get("sensor.flat_12_status").state == "ok"

    freezer.tick(timedelta(minutes=10))
    coordinator.async_note_contact()
    freezer.tick(timedelta(minutes=15))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get("binary_sensor.flat_12_wm_bus").state == STATE_ON

    freezer.tick(timedelta(minutes=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get("binary_sensor.flat_12_wm_bus").state == STATE_OFF


async def test_meter_without_its_bus_is_skipped(hass: HomeAssistant) -> None:
    """A kWh meter left over without an RS485 bus gets no entities and breaks nothing."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Flat 12",
        data={"wmbus": {"transport": "http"}},
        subentries_data=[modbus_meter_subentry("pv", 2)],
    )
    assert await setup_integration(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.pv_modbus_2_product_status") is None
