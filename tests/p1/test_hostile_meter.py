"""The smart meter's entities when the reader sends what no meter should."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.bus.p1.crc import crc16_arc
from custom_components.benext.bus.p1.decoder import MAX_TELEGRAM_CHARACTERS
from custom_components.benext.bus.p1.versions import DsmrVersion
from custom_components.benext.const import DOMAIN
from tests import setup_integration
from tests.p1_fixtures import raw
from tests.p1_helpers import smart_meter_subentry, state_of, wait_for
from tests.peers import P1TelegramServer, network

pytestmark = pytest.mark.usefixtures("socket_enabled", "entity_registry_enabled_by_default")


def _entry(server: P1TelegramServer, version: DsmrVersion | None = None) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"p1": {"transport": "network", "network": network(server.port)}},
        subentries_data=[smart_meter_subentry(server.telegram, version)],
    )


async def _wait_rejected(coordinator: Any, reason: str) -> None:
    deadline = time.monotonic() + 5
    while coordinator.counters.rejected.get(reason, 0) < 2:
        assert time.monotonic() < deadline, coordinator.counters
        await asyncio.sleep(0.02)


async def test_an_endless_frame_is_dropped_and_the_next_telegram_shown(
    hass: HomeAssistant,
) -> None:
    """A reader that opens a frame and never ends it: dropped, counted; the meter goes on."""
    good = raw("dsmr5_nl_iskra_gas.txt")
    server = P1TelegramServer(good, interval=0.05)
    await server.start()
    entry = _entry(server)
    try:
        assert await setup_integration(hass, entry)
        await wait_for(hass, "power_import", "244.0")
        coordinator = entry.runtime_data.buses["p1"]
        endless = b"/ISK5\\2M550T-1012\r\n" + b"1-0:1.8.1(000004.426*kWh)\r\n" * 1000
        assert len(endless) > 3 * MAX_TELEGRAM_CHARACTERS
        server.telegram = endless
        await _wait_rejected(coordinator, "too_long")
        assert state_of(hass, "power_import").state == "244.0"
        body = good[: good.rindex(b"!") + 1].replace(b"(00.244*kW)", b"(00.300*kW)", 1)
        server.telegram = body + f"{crc16_arc(body):04X}\r\n".encode()
        await wait_for(hass, "power_import", "300.0")
        assert coordinator.counters.rejected.keys() == {"too_long"}
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await server.stop()


async def test_impossible_power_without_crc_rejects_the_telegram(hass: HomeAssistant) -> None:
    """A DSMR 2.2 meter has no CRC: 99 kW is garbled, thrown away like a bad total."""
    good = raw("dsmr22_nl_iskra_gas_nocrc.txt")
    server = P1TelegramServer(good, interval=0.05)
    await server.start()
    entry = _entry(server, DsmrVersion.V2_2)
    try:
        assert await setup_integration(hass, entry)
        await wait_for(hass, "power_import", "1010.0")
        coordinator = entry.runtime_data.buses["p1"]
        server.telegram = good.replace(b"(0001.01*kW)", b"(0099.01*kW)", 1).replace(
            b"1-0:1.8.1(00001.001*kWh)", b"1-0:1.8.1(00001.002*kWh)", 1
        )
        await _wait_rejected(coordinator, "implausible")
        assert state_of(hass, "power_import").state == "1010.0"
        assert state_of(hass, "energy_import_t1").state == "1.001"
        assert coordinator.rejected_percent is not None
        assert coordinator.rejected_percent > 0
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await server.stop()
