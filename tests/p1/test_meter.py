"""The smart meter through its entities, read from a real TCP server and a socat pty."""

from __future__ import annotations

import asyncio
from dataclasses import replace
import time
from typing import Any

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.benext.bus.p1.crc import crc16_arc
from custom_components.benext.bus.p1.reading import P1Quantity
from custom_components.benext.const import CONF_P1_TOTAL_INTERVAL, DOMAIN
from tests import setup_integration
from tests.p1_fixtures import GOOD, QUANTITIES, expected_value, raw, version_of
from tests.p1_helpers import SUBENTRY_ID, smart_meter_subentry, state_of, wait_for
from tests.peers import P1SerialPeer, P1TelegramServer, network

pytestmark = pytest.mark.usefixtures("socket_enabled", "entity_registry_enabled_by_default")


def p1_entry(
    p1: dict[str, Any], telegram: bytes, version: Any = None, options: dict[str, Any] | None = None
) -> MockConfigEntry:
    """An installation with a P1 bus and the smart meter found in `telegram`."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"p1": p1},
        options=options or {},
        subentries_data=[smart_meter_subentry(telegram, version)],
    )


@pytest.mark.parametrize("fixture", GOOD, ids=[f["file"] for f in GOOD])
async def test_every_fixture_through_the_entities(
    hass: HomeAssistant, fixture: dict[str, Any]
) -> None:
    """A network reader streams the fixture; every expected value shows in its sensor."""
    telegram = raw(fixture["file"])
    server = P1TelegramServer(telegram)
    await server.start()
    entry = p1_entry(
        {"transport": "network", "network": network(server.port)}, telegram, version_of(fixture)
    )
    try:
        assert await setup_integration(hass, entry)
        expected = fixture["expected"]
        checked = 0
        for name, quantity in QUANTITIES.items():
            if name not in expected:
                continue
            await wait_for(hass, quantity.value, str(expected_value(name, expected[name])))
            checked += 1
        for device in expected.get("MBUS_DEVICES", []):
            reading = next((device[n] for n in device if n.endswith("METER_READING")), None)
            if reading is None or reading["timestamp_utc"].startswith("1970"):
                assert state_of(hass, f"mbus_{device['channel']}") is None
                continue
            await wait_for(hass, f"mbus_{device['channel']}", str(float(reading["value"])))
            checked += 1
        assert checked
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await server.stop()


async def test_units_and_classes(hass: HomeAssistant, p1_server: P1TelegramServer) -> None:
    """Totals are kWh total_increasing, power is W, gas is m3 on its own device."""
    entry = p1_entry(
        {"transport": "network", "network": network(p1_server.port)}, p1_server.telegram
    )
    assert await setup_integration(hass, entry)
    await wait_for(hass, "energy_import_t1", "4.426")
    total = state_of(hass, "energy_import_t1")
    assert total is not None
    assert total.attributes["unit_of_measurement"] == "kWh"
    assert total.attributes["state_class"] == "total_increasing"
    assert total.attributes["device_class"] == "energy"
    await wait_for(hass, "power_import", "244.0")
    power = state_of(hass, "power_import")
    assert power is not None
    assert power.attributes["unit_of_measurement"] == "W"
    await wait_for(hass, "tariff", "normal")
    await wait_for(hass, "mbus_1", "0.107")
    gas = state_of(hass, "mbus_1")
    assert gas is not None
    assert gas.attributes["device_class"] == "gas"
    assert gas.attributes["unit_of_measurement"] == "m³"
    await wait_for(hass, "mbus_1_read_at", "2017-01-02T15:10:05+00:00")
    await hass.config_entries.async_unload(entry.entry_id)


async def test_gas_time_of_reading_moves_only_with_the_reading(hass: HomeAssistant) -> None:
    """A gas meter restamps an unchanged reading every 5 minutes: no new time of reading."""
    good = raw("dsmr5_nl_iskra_gas.txt")
    server = P1TelegramServer(good, interval=0.05)
    await server.start()
    entry = p1_entry(
        {"transport": "network", "network": network(server.port)},
        good,
        options={CONF_P1_TOTAL_INTERVAL: 0},
    )
    try:
        assert await setup_integration(hass, entry)
        await wait_for(hass, "mbus_1_read_at", "2017-01-02T15:10:05+00:00")
        coordinator = entry.runtime_data.buses["p1"]
        seen = coordinator.counters.telegrams
        server.telegram = _with_total(good, b"170102161005W", b"170102161505W")
        while coordinator.counters.telegrams < seen + 5:
            await asyncio.sleep(0.02)
        assert state_of(hass, "mbus_1_read_at").state == "2017-01-02T15:10:05+00:00"

        server.telegram = _with_total(
            _with_total(good, b"170102161005W", b"170102162005W"), b"00000.107", b"00000.108"
        )
        await wait_for(hass, "mbus_1", "0.108")
        await wait_for(hass, "mbus_1_read_at", "2017-01-02T15:20:05+00:00")
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await server.stop()


async def test_glitches_never_reach_a_total(hass: HomeAssistant) -> None:
    """Bad CRC, garbage, a drop and a 0 are rejected, counted, and the last good value stays."""
    good = raw("dsmr5_nl_iskra_gas.txt")
    server = P1TelegramServer(good, interval=0.05)
    await server.start()
    entry = p1_entry({"transport": "network", "network": network(server.port)}, good)
    try:
        assert await setup_integration(hass, entry)
        await wait_for(hass, "energy_import_t1", "4.426")
        coordinator = entry.runtime_data.buses["p1"]
        # A lower total with a valid CRC: the meter glitched, or another meter answers.
        server.telegram = raw("dsmr5_nl_bad_crc.txt") + b"\x00\xffnoise/garbage!\r\n"
        await _wait_rejected(coordinator, "checksum")
        assert state_of(hass, "energy_import_t1").state == "4.426"
        server.telegram = _with_total(good, b"000004.426", b"000000.000")
        await _wait_rejected(coordinator, "drop")
        assert state_of(hass, "energy_import_t1").state == "4.426"
        coordinator.async_update_listeners()
        rate = hass.states.get(
            er.async_get(hass).async_get_entity_id(
                "sensor", DOMAIN, f"{SUBENTRY_ID}_rejected_telegrams"
            )
        )
        assert rate is not None
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await server.stop()
    assert coordinator.rejected_percent is not None
    assert coordinator.rejected_percent > 0


async def _wait_rejected(coordinator: Any, reason: str) -> None:
    deadline = time.monotonic() + 5
    while coordinator.counters.rejected.get(reason, 0) < 2:
        assert time.monotonic() < deadline, coordinator.counters
        await asyncio.sleep(0.02)


def _with_total(telegram: bytes, old: bytes, new: bytes) -> bytes:
    """The telegram with one value changed and its CRC made right again."""
    body = telegram[: telegram.rindex(b"!") + 1].replace(old, new, 1)
    return body + f"{crc16_arc(body):04X}\r\n".encode()


async def test_totals_continue_after_a_restart(hass: HomeAssistant) -> None:
    """The restored total is the floor: a lower reading after the restart is not shown."""
    telegram = raw("dsmr5_nl_iskra_gas.txt")
    server = P1TelegramServer(telegram)
    await server.start()
    entry = p1_entry({"transport": "network", "network": network(server.port)}, telegram)
    entity_id = "sensor.smart_meter_p1_energy_import_tariff_1"
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(entity_id, "5.0", {"unit_of_measurement": "kWh"}),
                {"native_value": 5.0, "native_unit_of_measurement": "kWh"},
            )
        ],
    )
    er.async_get(hass).async_get_or_create(
        "sensor", DOMAIN, f"{SUBENTRY_ID}_energy_import_t1", suggested_object_id=entity_id[7:]
    )
    try:
        assert await setup_integration(hass, entry)
        await _wait_rejected(entry.runtime_data.buses["p1"], "drop")
        assert hass.states.get(entity_id).state == "5.0"
        assert state_of(hass, "energy_import_t2").state != "2.399"
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await server.stop()


async def test_reconnects_after_the_reader_comes_back(hass: HomeAssistant) -> None:
    """The reader goes away: unavailable at once; it comes back: the values follow."""
    telegram = raw("dsmr5_nl_iskra_gas.txt")
    server = P1TelegramServer(telegram)
    await server.start()
    entry = p1_entry({"transport": "network", "network": network(server.port)}, telegram)
    try:
        assert await setup_integration(hass, entry)
        await wait_for(hass, "power_import", "244.0")
        await server.stop()
        await wait_for(hass, "power_import", STATE_UNAVAILABLE)
        assert entry.runtime_data.buses["p1"].link_up is False
        await server.start()
        await wait_for(hass, "power_import", "244.0", seconds=10)
        assert entry.runtime_data.buses["p1"].counters.connects == 2
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await server.stop()


async def test_p1_cable_on_a_pty(hass: HomeAssistant, p1_cable: P1SerialPeer) -> None:
    """A USB P1 cable (socat pty at 115200 8N1) is read like the network reader."""
    entry = p1_entry(
        {
            "transport": "serial",
            "serial": {
                "device": p1_cable.device,
                "baudrate": 115200,
                "bytesize": 8,
                "parity": "N",
                "stopbits": 1,
            },
        },
        p1_cable.telegram,
    )
    assert await setup_integration(hass, entry)
    await wait_for(hass, "energy_export_t1", "2.444")
    await hass.config_entries.async_unload(entry.entry_id)


async def test_writes_are_rate_limited(hass: HomeAssistant, p1_server: P1TelegramServer) -> None:
    """Power is written with every telegram that changes it; totals at most every 10 s."""
    entry = p1_entry(
        {"transport": "network", "network": network(p1_server.port)}, p1_server.telegram
    )
    assert await setup_integration(hass, entry)
    await wait_for(hass, "energy_import_t1", "4.426")
    coordinator = entry.runtime_data.buses["p1"]
    await p1_server.stop()  # from here on, readings are handed over by the test
    now = [time.monotonic() + 100]
    coordinator.clock = lambda: now[0]
    (decoded,) = (
        __import__("custom_components.benext.bus.p1.decoder", fromlist=["TelegramDecoder"])
        .TelegramDecoder("5")
        .feed(raw("dsmr5_nl_iskra_gas.txt"))
    )
    base = decoded.reading
    for second in range(1, 12):
        now[0] += 1
        values = dict(base.values)
        values[P1Quantity.ENERGY_IMPORT_T1] = 4.426 + second / 1000
        values[P1Quantity.POWER_IMPORT] = 244.0 + second
        coordinator.async_handle_reading(replace(base, values=values, meter_time=None))
        power = state_of(hass, "power_import")
        total = state_of(hass, "energy_import_t1")
        assert power is not None
        assert total is not None
        assert power.state == str(244.0 + second)
        # After the link came back the first total is written at once, then every 10 s.
        if second < 11:
            assert total.state == "4.427"
    assert total.state == "4.437"
    await hass.config_entries.async_unload(entry.entry_id)


async def test_add_the_smart_meter_later(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, p1_server: P1TelegramServer
) -> None:
    """The smart meter subentry flow listens to the port and adds what it hears, once."""
    assert await setup_integration(hass, mock_config_entry)
    result = await hass.config_entries.subentries.async_init(
        (mock_config_entry.entry_id, "smart_meter"), context={"source": "user"}
    )
    assert result["step_id"] == "meter"
    assert result["description_placeholders"]["serial"] == "K8EG004046395507"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"dsmr_version": "5"}
    )
    assert result["type"] == "create_entry"
    assert result["title"] == "Smart meter · P1"
    await hass.async_block_till_done()
    result = await hass.config_entries.subentries.async_init(
        (mock_config_entry.entry_id, "smart_meter"), context={"source": "user"}
    )
    assert result["type"] == "abort"
    assert result["reason"] == "smart_meter_exists"
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_no_smart_meter_without_a_p1_port(hass: HomeAssistant) -> None:
    """An installation without P1 port cannot add a smart meter."""
    entry = MockConfigEntry(domain=DOMAIN, data={"wmbus": {"transport": "http"}})
    entry.add_to_hass(hass)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "smart_meter"), context={"source": "user"}
    )
    assert result["type"] == "abort"
    assert result["reason"] == "p1_not_configured"
