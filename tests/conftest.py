"""Fixtures of the BeNext tests."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from pathlib import Path
from unittest.mock import PropertyMock, patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

import custom_components  # noqa: F401  -- ours, before Home Assistant mounts its test config folder
from custom_components.benext.const import CONF_MODBUS_POLL_INTERVAL, DOMAIN
from tests.modbus_helpers import modbus_meter_subentry
from tests.p1_fixtures import GPLUGD_SENSOR
from tests.peers import (
    FIXTURES,
    ModbusTcpPeer,
    P1SerialPeer,
    P1TelegramServer,
    SerialPtyPair,
    network,
)
from tests.tasmota_peers import MosquittoBroker, TasmotaHttpPeer


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load our integration from custom_components in every test."""


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Entities disabled by default are enabled, as in Home Assistant core's tests."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format, in tests/snapshots."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
async def p1_server(socket_enabled: None) -> AsyncGenerator[P1TelegramServer]:
    """A P1 network reader on loopback streaming a real DSMR 5 telegram."""
    server = P1TelegramServer((FIXTURES / "dsmr5_nl_iskra_gas.txt").read_bytes())
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def modbus_server(socket_enabled: None) -> AsyncGenerator[ModbusTcpPeer]:
    """An RS485-Ethernet converter on loopback with meters at 2, 3 and 4."""
    server = ModbusTcpPeer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def serial_pty(tmp_path: Path) -> AsyncGenerator[SerialPtyPair]:
    """A serial port (a socat pty pair) standing in for a USB adapter."""
    pair = SerialPtyPair(tmp_path)
    await pair.start()
    yield pair
    await pair.stop()


@pytest.fixture
async def p1_cable(tmp_path: Path) -> AsyncGenerator[P1SerialPeer]:
    """A P1 cable (a socat pty pair) on which a DSMR 5 meter sends a telegram a second."""
    peer = P1SerialPeer(tmp_path, (FIXTURES / "dsmr5_nl_iskra_gas.txt").read_bytes())
    await peer.start()
    yield peer
    await peer.stop()


@pytest.fixture
async def broker(tmp_path: Path) -> AsyncGenerator[MosquittoBroker]:
    """A real mosquitto broker on loopback, for a gPlug's MQTT messages."""
    broker = MosquittoBroker(tmp_path)
    await broker.start()
    yield broker
    await broker.stop()


@pytest.fixture
async def gplug_http() -> AsyncGenerator[TasmotaHttpPeer]:
    """A gPlug's Tasmota HTTP API on loopback, answering `Status 10`."""
    peer = TasmotaHttpPeer(GPLUGD_SENSOR)
    await peer.start()
    yield peer
    await peer.stop()


@pytest.fixture
def mock_config_entry(p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer) -> MockConfigEntry:
    """An installation with P1 over the network, Modbus TCP and the three BeNext meters."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        version=1,
        minor_version=1,
        data={
            "p1": {"transport": "network", "network": network(p1_server.port)},
            "modbus": {"transport": "tcp", "network": network(modbus_server.port)},
        },
        options={CONF_MODBUS_POLL_INTERVAL: 30},
        subentries_data=[
            modbus_meter_subentry("pv", 2, "eastron_sdm630"),
            modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
            modbus_meter_subentry("ventilation", 4, "eastron_sdm220"),
        ],
        entry_id="01JBENEXTDEMOHOME0000000000",
    )
