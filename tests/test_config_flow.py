"""The installation's config flow: every step, error, abort, reconfigure and options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import DOMAIN
from tests import setup_integration
from tests.installation_flow import BUSES, NOT_PRESENT, choose, finish, start, submit
from tests.peers import (
    ModbusTcpPeer,
    P1SerialPeer,
    P1TelegramServer,
    SerialPtyPair,
    free_port,
    network,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")


def rs485_adapter(device: str, parity: str = "N") -> dict[str, str]:
    """The USB-RS485 adapter step's input, at BeNext's 9600 baud."""
    return {
        "device": device,
        "baudrate": "9600",
        "parity": parity,
        "stopbits": "1",
        "bytesize": "8",
    }


def stored_rs485_adapter(device: str, parity: str) -> dict[str, Any]:
    """A USB-RS485 adapter at 9600 baud, 8 data bits, 1 stop bit, as the installation stores it."""
    serial = {"device": device, "baudrate": 9600, "bytesize": 8, "parity": parity, "stopbits": 1}
    return {"transport": "rtu", "serial": serial}


def suggested_values(result: dict[str, Any]) -> dict[str, Any]:
    """What a form shows filled in: its suggested values."""
    return {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }


def default_of(result: dict[str, Any], field: str) -> Any:
    """The value a form's field starts with."""
    key = next(key for key in result["data_schema"].schema if str(key) == field)
    return key.default()


async def test_full_flow_over_the_network(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """P1 network reader, Modbus TCP converter and wmbusmeters over HTTP, one after another."""
    result = await start(hass, "  Kerkstraat 12 ")
    assert result["menu_options"] == ["p1", "modbus", "wmbus"]
    assert result["description_placeholders"] == {"p1": "", "modbus": "", "wmbus": ""}
    result = await choose(hass, result, "p1")
    result = await submit(hass, result, {"transport": "network"}, "p1_network")
    result = await submit(hass, result, {"host": "127.0.0.1", "port": p1_server.port}, "p1_meter")
    result = await submit(hass, result, {"dsmr_version": "5"}, BUSES)
    assert result["menu_options"] == ["p1", "modbus", "wmbus", "finish"]
    assert result["description_placeholders"] == {"p1": "✓", "modbus": "", "wmbus": ""}
    result = await choose(hass, result, "modbus")
    result = await submit(hass, result, {"transport": "tcp"}, "modbus_network")
    result = await submit(hass, result, {"host": "127.0.0.1", "port": modbus_server.port}, BUSES)
    result = await choose(hass, result, "wmbus")
    result = await submit(hass, result, {"transport": "http"}, "wmbus_http")
    webhook_id = result["description_placeholders"]["url"].rsplit("/", 1)[-1]
    result = await submit(hass, result, {"token": " s3cret "}, BUSES)
    assert result["description_placeholders"] == {"p1": "✓", "modbus": "✓", "wmbus": "✓"}
    result = await finish(hass, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Kerkstraat 12"
    assert result["data"] == {
        "p1": {"transport": "network", "network": network(p1_server.port)},
        "modbus": {"transport": "tcp", "network": network(modbus_server.port)},
        "wmbus": {"transport": "http", "webhook_id": webhook_id, "token": "s3cret"},
    }
    assert len(webhook_id) == 64
    assert result["result"].unique_id is None


async def test_change_an_earlier_bus(
    hass: HomeAssistant, p1_server: P1TelegramServer, serial_pty: SerialPtyPair
) -> None:
    """Back at the buses, a P1 port set up after the RS485 bus is left out, meter and all."""
    result = await start(hass)
    result = await choose(hass, result, "modbus")
    result = await submit(hass, result, {"transport": "rtu"}, "modbus_serial")
    result = await submit(hass, result, rs485_adapter(serial_pty.device), BUSES)
    result = await choose(hass, result, "p1")
    result = await submit(hass, result, {"transport": "network"}, "p1_network")
    result = await submit(hass, result, {"host": "127.0.0.1", "port": p1_server.port}, "p1_meter")
    result = await submit(hass, result, {"dsmr_version": "5"}, BUSES)
    # The P1 step shows the transport chosen; not present takes the port and its meter out.
    result = await choose(hass, result, "p1")
    assert default_of(result, "transport") == "network"
    result = await submit(hass, result, NOT_PRESENT, BUSES)
    assert result["description_placeholders"] == {"p1": "", "modbus": "✓", "wmbus": ""}
    result = await finish(hass, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {"modbus": stored_rs485_adapter(serial_pty.device, "N")}
    assert result["result"].subentries == {}


async def test_modbus_tcp_form_offers_port_502(hass: HomeAssistant) -> None:
    """The converter's port defaults to Modbus TCP's 502."""
    result = await choose(hass, await start(hass), "modbus")
    result = await submit(hass, result, {"transport": "rtu_over_tcp"}, "modbus_network")
    assert default_of(result, "port") == 502


async def test_p1_network_form_offers_port_8088(hass: HomeAssistant) -> None:
    """The P1 network reader's port starts at the usual port of such readers."""
    result = await choose(hass, await start(hass), "p1")
    result = await submit(hass, result, {"transport": "network"}, "p1_network")
    assert default_of(result, "port") == 8088


async def test_serial_buses(hass: HomeAssistant, serial_pty: SerialPtyPair) -> None:
    """A USB-RS485 adapter with its line settings; the serial port is opened to test it."""
    result = await choose(hass, await start(hass), "modbus")
    result = await submit(hass, result, {"transport": "rtu"}, "modbus_serial")
    result = await submit(hass, result, rs485_adapter(serial_pty.device, "E"), BUSES)
    result = await finish(hass, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {"modbus": stored_rs485_adapter(serial_pty.device, "E")}


async def test_p1_cable(hass: HomeAssistant, p1_cable: P1SerialPeer) -> None:
    """A P1 cable: the meter's first telegram tells its variant and line settings."""
    result = await choose(hass, await start(hass), "p1")
    result = await submit(hass, result, {"transport": "serial"}, "p1_serial")
    result = await submit(hass, result, {"device": p1_cable.device}, "p1_meter")
    assert result["description_placeholders"] == {
        "manufacturer": "Iskraemeco",
        "model": "MT382-1000",
        "serial": "K8EG004046395507",
        "version": "5",
    }
    result = await submit(hass, result, {"dsmr_version": "5"}, BUSES)
    result = await finish(hass, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["p1"]["serial"]["device"] == p1_cable.device
    assert result["data"]["p1"]["serial"]["baudrate"] == 115200
    (smart_meter,) = result["result"].subentries.values()
    assert smart_meter.subentry_type == "smart_meter"
    assert smart_meter.title == "Smart meter · P1"
    assert smart_meter.unique_id == "K8EG004046395507"
    assert smart_meter.data["dsmr_version"] == "5"
    assert smart_meter.data["mbus_meters"] == [
        {"channel": 1, "kind": "gas", "serial": "2222ABCD123456789"}
    ]


@pytest.mark.parametrize(
    ("device", "error"),
    [
        ("/dev/serial/by-id/usb-FTDI_P1_cable-if00-port0", "port_not_found"),
        ("/proc/version", "cannot_connect"),
    ],
)
async def test_serial_port_errors(
    hass: HomeAssistant, p1_cable: P1SerialPeer, device: str, error: str
) -> None:
    """A missing adapter or a file that is no serial port: a translated error, then a retry."""
    result = await choose(hass, await start(hass), "p1")
    result = await submit(hass, result, {"transport": "serial"}, "p1_serial")
    result = await submit(hass, result, {"device": device}, "p1_serial")
    assert result["errors"] == {"base": error}

    result = await submit(hass, result, {"device": p1_cable.device}, "p1_meter")


async def test_network_error_then_retry(hass: HomeAssistant, p1_server: P1TelegramServer) -> None:
    """Nothing listens at the host and port: cannot_connect, and the user can correct it."""
    result = await choose(hass, await start(hass), "p1")
    result = await submit(hass, result, {"transport": "network"}, "p1_network")
    result = await submit(hass, result, {"host": "127.0.0.1", "port": free_port()}, "p1_network")
    assert result["errors"] == {"base": "cannot_connect"}

    await submit(hass, result, {"host": "127.0.0.1", "port": p1_server.port}, "p1_meter")
    result = await submit(hass, result, {"dsmr_version": "5"}, BUSES)


async def test_one_port_for_two_buses(hass: HomeAssistant, p1_cable: P1SerialPeer) -> None:
    """The P1 cable's port cannot also carry the RS485 bus."""
    result = await choose(hass, await start(hass), "p1")
    result = await submit(hass, result, {"transport": "serial"}, "p1_serial")
    result = await submit(hass, result, {"device": p1_cable.device}, "p1_meter")
    result = await submit(hass, result, {"dsmr_version": "5"}, BUSES)
    result = await choose(hass, result, "modbus")
    result = await submit(hass, result, {"transport": "rtu"}, "modbus_serial")
    result = await submit(hass, result, rs485_adapter(p1_cable.device), "modbus_serial")
    assert result["errors"] == {"base": "port_in_use"}


async def test_saving_needs_a_bus(hass: HomeAssistant) -> None:
    """Saving is offered only once the installation has a bus; leaving one out is no bus."""
    result = await start(hass)
    assert "finish" not in result["menu_options"]
    result = await choose(hass, result, "wmbus")
    result = await submit(hass, result, NOT_PRESENT, BUSES)
    assert result["menu_options"] == ["p1", "modbus", "wmbus"]


async def test_managed_wmbusmeters(hass: HomeAssistant) -> None:
    """The installed wmbusmeters with a radio it finds by itself."""
    result = await choose(hass, await start(hass), "wmbus")
    result = await submit(hass, result, {"transport": "managed"}, "wmbus_managed")
    result = await submit(hass, result, {"radio": "/dev/ttyUSB7:im871a"}, "wmbus_managed")
    assert result["errors"] == {"base": "port_not_found"}

    result = await submit(hass, result, {"radio": "auto:t1"}, BUSES)
    result = await finish(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {"wmbus": {"transport": "managed", "radio": "auto:t1"}}


async def test_managed_wmbusmeters_not_installed(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Where no wmbusmeters program is installed, the managed mode says so."""
    monkeypatch.setenv("PATH", str(tmp_path))
    result = await choose(hass, await start(hass), "wmbus")
    result = await submit(hass, result, {"transport": "managed"}, "wmbus_managed")
    result = await submit(hass, result, {"radio": "auto:t1"}, "wmbus_managed")
    assert result["errors"] == {"base": "wmbusmeters_not_found"}


async def test_bus_of_another_installation(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, p1_server: P1TelegramServer
) -> None:
    """A P1 reader that another installation reads: an error naming it, the typed values kept."""
    mock_config_entry.add_to_hass(hass)
    result = await choose(hass, await start(hass), "p1")
    result = await submit(hass, result, {"transport": "network"}, "p1_network")
    typed = {"host": "127.0.0.1", "port": p1_server.port}
    result = await submit(hass, result, typed, "p1_network")

    assert result["errors"] == {"base": "p1_used_elsewhere"}
    assert result["description_placeholders"] == {"installation": "Demo home"}
    assert suggested_values(result) == typed


async def test_radio_of_another_installation(hass: HomeAssistant) -> None:
    """A wmbusmeters radio that another installation runs is refused on the radio's form."""
    radio = {"transport": "managed", "radio": "/dev/ttyUSB7:im871a"}
    MockConfigEntry(domain=DOMAIN, title="Flat 12", data={"wmbus": radio}).add_to_hass(hass)
    result = await choose(hass, await start(hass), "wmbus")
    result = await submit(hass, result, {"transport": "managed"}, "wmbus_managed")
    result = await submit(hass, result, {"radio": "/dev/ttyUSB7:amb8465"}, "wmbus_managed")

    assert result["errors"] == {"base": "wmbus_used_elsewhere"}
    assert result["description_placeholders"] == {"installation": "Flat 12"}
    assert suggested_values(result) == {"radio": "/dev/ttyUSB7:amb8465"}


async def test_reconfigure_keeps_its_own_bus(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, p1_server: P1TelegramServer
) -> None:
    """An installation's own P1 reader is no conflict when it is reconfigured."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await choose(hass, result, "p1")
    result = await submit(hass, result, {"transport": "network"}, "p1_network")
    await submit(hass, result, {"host": "127.0.0.1", "port": p1_server.port}, "p1_meter")


async def test_reconfigure_moves_a_bus(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """The RS485 converter moves to another port; the other buses need no visit."""
    mock_config_entry.add_to_hass(hass)
    moved = ModbusTcpPeer()
    await moved.start()
    try:
        result = await mock_config_entry.start_reconfigure_flow(hass)
        assert result["step_id"] == BUSES
        assert result["description_placeholders"] == {"p1": "✓", "modbus": "✓", "wmbus": ""}
        result = await choose(hass, result, "modbus")
        result = await submit(hass, result, {"transport": "tcp"}, "modbus_network")
        assert suggested_values(result) == {"host": "127.0.0.1", "port": modbus_server.port}
        result = await submit(hass, result, {"host": "127.0.0.1", "port": moved.port}, BUSES)
        result = await finish(hass, result)

        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "reconfigure_successful"
        assert mock_config_entry.data["modbus"]["network"]["port"] == moved.port
        assert mock_config_entry.data["p1"] == {
            "transport": "network",
            "network": network(p1_server.port),
        }
        assert mock_config_entry.title == "Demo home"
        assert len(mock_config_entry.subentries) == 3
    finally:
        await moved.stop()


async def test_reconfigure_keeps_a_bus_with_meters(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """The RS485 bus cannot be removed while kWh meters are on it."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await choose(hass, result, "modbus")
    result = await submit(hass, result, NOT_PRESENT, "modbus")
    assert result["errors"] == {"base": "bus_has_meters"}


async def test_options_poll_interval(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """The buses' options; a change reloads the installation."""
    assert await setup_integration(hass, mock_config_entry)

    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"modbus_poll_interval": 10, "modbus_failed_polls": 5}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert mock_config_entry.options == {
        "modbus_poll_interval": 10,
        "modbus_failed_polls": 5,
        "p1_power_interval": 0,
        "p1_total_interval": 10,
        "epv_budget": 0,
    }
    coordinator = mock_config_entry.runtime_data.buses["modbus"]
    assert coordinator.update_interval.total_seconds() == 10
    assert coordinator.failed_polls_limit == 5


async def test_options_without_polled_buses(hass: HomeAssistant) -> None:
    """An installation with only wireless M-Bus has no options."""
    entry = MockConfigEntry(domain=DOMAIN, data={"wmbus": {"transport": "http"}})
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_options"


async def test_reconfigure_suggests_serial_and_radio_settings(
    hass: HomeAssistant, serial_pty: SerialPtyPair
) -> None:
    """A serial RS485 bus and a managed radio come back as the suggested values."""
    serial = {"device": serial_pty.device, "baudrate": 9600, "bytesize": 8, "parity": "N"}
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Flat 12",
        data={
            "modbus": {"transport": "rtu", "serial": serial | {"stopbits": 2}},
            "wmbus": {"transport": "managed", "radio": "auto:t1"},
        },
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await choose(hass, result, "modbus")
    result = await submit(hass, result, {"transport": "rtu"}, "modbus_serial")
    suggested = suggested_values(result)
    assert suggested == {
        "device": serial_pty.device,
        "baudrate": "9600",
        "bytesize": "8",
        "parity": "N",
        "stopbits": "2",
    }
    result = await submit(hass, result, suggested, BUSES)
    result = await choose(hass, result, "wmbus")
    result = await submit(hass, result, {"transport": "managed"}, "wmbus_managed")
    suggested = suggested_values(result)
    assert suggested == {"radio": "auto:t1"}
    result = await submit(hass, result, suggested, BUSES)
    result = await finish(hass, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["modbus"]["serial"]["stopbits"] == 2
