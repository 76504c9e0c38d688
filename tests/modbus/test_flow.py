"""Adding and changing kWh meters: config subentries of the installation.

The meters answer on a real Modbus TCP server on loopback (tests/peers.py): by default
an Eastron SDM630 at 2 and SDM220s at 3 and 4, the BeNext home's PV, heat pump and
ventilation meters. Every meter is read before it is saved.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
import logging
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_state_change_event
from pymodbus.constants import ExcCodes
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import DOMAIN, SUBENTRY_KWH_METER
from simulated_home.kwh_meters import MeterModel, MeterReadings, SimulatedKwhMeter
from tests import setup_integration
from tests.modbus_helpers import modbus_meter_subentry
from tests.peers import ModbusTcpPeer, benext_meters, network

pytestmark = pytest.mark.usefixtures("socket_enabled")

type StartBus = Callable[[list[SimulatedKwhMeter]], Awaitable[ModbusTcpPeer]]

# What the BeNext meters of tests/peers.py store once they are read.
PV_METER = {
    "role": "pv",
    "address": 2,
    "model": "eastron_sdm630",
    "register_map": "eastron_3p",
    "serial": "21060123",
}
HEAT_PUMP_METER = {
    "role": "heat_pump",
    "address": 3,
    "model": "eastron_sdm220",
    "register_map": "eastron_1p",
    "serial": "22110456",
}
VENTILATION_METER = {
    "role": "ventilation",
    "address": 4,
    "model": "eastron_sdm220",
    "register_map": "eastron_1p",
    "serial": "22110789",
}


def _installation(
    server: ModbusTcpPeer, subentries: list[dict[str, Any]] | None = None
) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(server.port)}},
        subentries_data=subentries or [],
    )


@pytest.fixture
def installation(modbus_server: ModbusTcpPeer) -> MockConfigEntry:
    """An installation with an RS485 bus (the BeNext meters on it) and no meters yet."""
    return _installation(modbus_server)


@pytest.fixture
async def start_bus(socket_enabled: None) -> AsyncGenerator[StartBus]:
    """Start a converter on loopback with other meters than BeNext's."""
    servers: list[ModbusTcpPeer] = []

    async def start(meters: list[SimulatedKwhMeter]) -> ModbusTcpPeer:
        server = ModbusTcpPeer(meters)
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()


def _meter(model: MeterModel, address: int, serial: int, import_kwh: float) -> SimulatedKwhMeter:
    return SimulatedKwhMeter(
        model,
        address,
        serial=serial,
        readings=MeterReadings.from_power(
            1200.0, three_phase=model.three_phase, import_kwh=import_kwh, export_kwh=0.0
        ),
    )


async def _start(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_KWH_METER), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert result["menu_options"] == ["role", "scan"]
    return result


async def _choose_role(hass: HomeAssistant, entry: MockConfigEntry, role: str) -> dict[str, Any]:
    """Add one meter: the menu's first option, then its role."""
    result = await _start(hass, entry)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "role"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "role"
    return await hass.config_entries.subentries.async_configure(result["flow_id"], {"role": role})


async def _meter_form(hass: HomeAssistant, entry: MockConfigEntry, role: str) -> dict[str, Any]:
    result = await _choose_role(hass, entry, role)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "meter"
    return result


async def _read_meter(
    hass: HomeAssistant, entry: MockConfigEntry, role: str, address: int, model: str = "detect"
) -> dict[str, Any]:
    """Add one meter up to the step after the meter was read."""
    result = await _meter_form(hass, entry, role)
    return await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"address": address, "model": model}
    )


async def _scan(
    hass: HomeAssistant, entry: MockConfigEntry, first: int, last: int
) -> dict[str, Any]:
    """Scan the bus from `first` to `last`: the step after the scan finished."""
    result = await _start(hass, entry)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "scan"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "scan"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"first_address": first, "last_address": last}
    )
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["step_id"] == "scanning"
    assert result["progress_action"] == "scanning"
    assert result["description_placeholders"] == {"first": str(first), "last": str(last)}
    await hass.async_block_till_done()
    return await hass.config_entries.subentries.async_configure(result["flow_id"])


def _default(result: dict[str, Any], field: str) -> object:
    return next(key for key in result["data_schema"].schema if key == field).default()


def _options(result: dict[str, Any], field: str) -> list[Any]:
    selector = result["data_schema"].schema[field]
    return list(selector.config["options"])


def _meters(entry: MockConfigEntry) -> dict[str, dict[str, Any]]:
    """The installation's kWh meters: title -> data."""
    return {
        subentry.title: dict(subentry.data)
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_KWH_METER
    }


# Adding one meter


@pytest.mark.parametrize(("role", "address"), [("pv", 2), ("heat_pump", 3), ("ventilation", 4)])
async def test_benext_addresses(
    hass: HomeAssistant, installation: MockConfigEntry, role: str, address: int
) -> None:
    """Each role starts at the address BeNext gives it, with the model detected."""
    installation.add_to_hass(hass)
    result = await _meter_form(hass, installation, role)
    assert _default(result, "address") == address
    assert _default(result, "model") == "detect"


async def test_detected_meter_is_confirmed(
    hass: HomeAssistant, installation: MockConfigEntry
) -> None:
    """The meter that answered is shown before it is added, and stored as it answered."""
    installation.add_to_hass(hass)
    result = await _read_meter(hass, installation, "pv", 2)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"] == {
        "address": "2",
        "model": "Eastron SDM630",
        "serial": "21060123",
        "energy": "41.70",
    }
    assert _default(result, "model") == "eastron_sdm630"
    # Confirming needs a real model: "detect" is not one of them.
    assert "detect" not in _options(result, "model")

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"model": "eastron_sdm630"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "PV · Modbus 2"
    assert result["data"] == PV_METER
    assert _meters(installation) == {"PV · Modbus 2": PV_METER}


async def test_chosen_model_is_read_as_that_model(
    hass: HomeAssistant, installation: MockConfigEntry
) -> None:
    """A meter added as its own model is read with that model's map before the confirmation."""
    installation.add_to_hass(hass)
    result = await _read_meter(hass, installation, "heat_pump", 3, "eastron_sdm220")

    assert result["step_id"] == "confirm"
    assert result["description_placeholders"] == {
        "address": "3",
        "model": "Eastron SDM220/SDM230",
        "serial": "22110456",
        "energy": "3512.80",
    }
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"model": "eastron_sdm220"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == HEAT_PUMP_METER


async def test_model_on_the_label_keeps_the_register_map(
    hass: HomeAssistant, installation: MockConfigEntry
) -> None:
    """A rebrand without a published map (Controlin) is read with the map that answered."""
    installation.add_to_hass(hass)
    result = await _read_meter(hass, installation, "pv", 2)
    assert result["step_id"] == "confirm"

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"model": "controlin_skd103"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == PV_METER | {"model": "controlin_skd103"}


async def test_add_meter_creates_its_device(
    hass: HomeAssistant, installation: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """A new meter gets a device via the hub, named after the meter's label and serial."""
    assert await setup_integration(hass, installation)
    hub = device_registry.async_get_device_by_identifier(
        (DOMAIN, installation.entry_id), installation.entry_id
    )
    assert hub is not None

    result = await _read_meter(hass, installation, "heat_pump", 3)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"model": "eastron_sdm220"}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Heat pump · Modbus 3"
    (subentry,) = installation.subentries.values()
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, subentry.subentry_id), installation.entry_id
    )
    assert device is not None
    assert device.name == "Heat pump · Modbus 3"
    assert (device.manufacturer, device.model, device.serial_number) == (
        "Eastron",
        "SDM220/SDM230",
        "22110456",
    )
    assert device.via_device_id == hub.id


async def test_title_in_the_users_language(
    hass: HomeAssistant, installation: MockConfigEntry
) -> None:
    """A Dutch installer gets a Dutch meter name."""
    await hass.config.async_update(language="nl")
    installation.add_to_hass(hass)
    result = await _read_meter(hass, installation, "heat_pump", 3)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"model": "eastron_sdm220"}
    )
    assert result["title"] == "Warmtepomp · Modbus 3"


async def test_taken_address(hass: HomeAssistant, modbus_server: ModbusTcpPeer) -> None:
    """Two meters cannot share an address; a role whose address is taken gets a free one."""
    entry = _installation(modbus_server, [modbus_meter_subentry("pv", 2, "eastron_sdm630")])
    entry.add_to_hass(hass)
    result = await _meter_form(hass, entry, "pv")
    assert _default(result, "address") == 5

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"address": 2, "model": "detect"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "meter"
    assert result["errors"] == {"address": "address_in_use"}

    # The meter at 4 is free to add, under another role.
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"address": 4, "model": "detect"}
    )
    assert result["step_id"] == "confirm"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"model": "eastron_sdm220"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "PV · Modbus 4"
    assert result["data"] == VENTILATION_METER | {"role": "pv"}


async def test_full_bus(hass: HomeAssistant, modbus_server: ModbusTcpPeer) -> None:
    """With all 247 addresses taken there is no room for another meter."""
    entry = _installation(
        modbus_server,
        [
            modbus_meter_subentry("auxiliary", address) | {"subentry_id": f"meter_{address}"}
            for address in range(1, 248)
        ],
    )
    entry.add_to_hass(hass)
    result = await _choose_role(hass, entry, "auxiliary")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "bus_full"


async def test_no_modbus_bus(hass: HomeAssistant) -> None:
    """A kWh meter needs the installation's RS485 bus."""
    entry = MockConfigEntry(domain=DOMAIN, data={"wmbus": {"transport": "http"}})
    entry.add_to_hass(hass)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_KWH_METER), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "modbus_not_configured"


async def test_no_answer(hass: HomeAssistant, installation: MockConfigEntry) -> None:
    """Nothing answers at the address: the form says which, and keeps what was entered."""
    installation.add_to_hass(hass)
    result = await _read_meter(hass, installation, "auxiliary", 7)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "meter"
    assert result["errors"] == {"base": "no_answer"}
    assert result["description_placeholders"]["address"] == "7"
    address = next(key for key in result["data_schema"].schema if key == "address")
    assert address.description == {"suggested_value": 7}
    assert installation.subentries == {}


async def test_model_mismatch(hass: HomeAssistant, installation: MockConfigEntry) -> None:
    """A meter that does not answer as the chosen model: the form names what answered."""
    installation.add_to_hass(hass)
    result = await _read_meter(hass, installation, "pv", 2, "inepro_pro380")

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "meter"
    assert result["errors"] == {"base": "model_mismatch"}
    assert result["description_placeholders"] == {"address": "2", "detected": "Eastron SDM630"}

    # Choosing what answered adds the meter.
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"address": 2, "model": "eastron_sdm630"}
    )
    assert result["step_id"] == "confirm"


@pytest.mark.parametrize("model", ["detect", "eastron_sdm630"])
async def test_not_a_kwh_meter(
    hass: HomeAssistant, installation: MockConfigEntry, modbus_server: ModbusTcpPeer, model: str
) -> None:
    """A device that answers every request with an exception is no kWh meter we know."""
    modbus_server.meters[2].exception = ExcCodes.ILLEGAL_FUNCTION
    installation.add_to_hass(hass)
    result = await _read_meter(hass, installation, "pv", 2, model)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "meter"
    assert result["errors"] == {"base": "not_a_kwh_meter"}
    assert result["description_placeholders"]["address"] == "2"


async def test_cannot_connect(
    hass: HomeAssistant, installation: MockConfigEntry, modbus_server: ModbusTcpPeer
) -> None:
    """The converter is down: the bus cannot be reached; once it is back the meter is read."""
    installation.add_to_hass(hass)
    result = await _meter_form(hass, installation, "pv")
    await modbus_server.stop()

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"address": 2, "model": "detect"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "meter"
    assert result["errors"] == {"base": "cannot_connect"}

    await modbus_server.start()
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"address": 2, "model": "detect"}
    )
    assert result["step_id"] == "confirm"


@pytest.mark.parametrize(
    ("model", "serial", "suggested", "label", "register_map"),
    [
        (MeterModel.INEPRO_PRO1, 0x2201_A0B1, "inepro_pro1", "Inepro PRO1", "inepro_1p"),
        (MeterModel.INEPRO_PRO380, 0x2105_0C3D, "inepro_pro380", "Inepro PRO380", "inepro_3p"),
        # The SDM120 has the SDM220's registers: it is suggested as one, a label can say else.
        (
            MeterModel.EASTRON_SDM120,
            23_040_555,
            "eastron_sdm220",
            "Eastron SDM220/SDM230",
            "eastron_1p",
        ),
    ],
)
async def test_other_models_are_detected(
    hass: HomeAssistant,
    start_bus: StartBus,
    model: MeterModel,
    serial: int,
    suggested: str,
    label: str,
    register_map: str,
) -> None:
    """Inepro meters (serial shown in hex) and 1-phase Eastrons are told apart by probing."""
    server = await start_bus([_meter(model, 5, serial, 1234.5)])
    entry = _installation(server)
    entry.add_to_hass(hass)
    result = await _read_meter(hass, entry, "auxiliary", 5)

    assert result["step_id"] == "confirm"
    shown_serial = str(serial) if model.eastron else f"{serial:08X}"
    assert result["description_placeholders"] == {
        "address": "5",
        "model": label,
        "serial": shown_serial,
        "energy": "1234.50",
    }
    assert _default(result, "model") == suggested
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"model": suggested}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Auxiliary · Modbus 5"
    assert result["data"] == {
        "role": "auxiliary",
        "address": 5,
        "model": suggested,
        "register_map": register_map,
        "serial": shown_serial,
    }


async def test_inepro_4ps_on_the_heat_pump_asks_its_tariffs(
    hass: HomeAssistant, start_bus: StartBus
) -> None:
    """An Inepro 4PS on the heat pump: the installer says which mode each tariff measures."""
    server = await start_bus([_meter(MeterModel.INEPRO_4PS, 3, 0x2304_7F1E, 4210.5)])
    entry = _installation(server)
    entry.add_to_hass(hass)
    result = await _read_meter(hass, entry, "heat_pump", 3)

    assert result["step_id"] == "confirm"
    assert result["description_placeholders"]["model"] == "Inepro 4PS"
    assert _default(result, "model") == "inepro_4ps"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"model": "inepro_4ps"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "tariffs"
    assert [
        _default(result, field) for field in ("tariff_1", "tariff_2", "tariff_3", "tariff_4")
    ] == ["space_heating", "hot_water", "other", "other"]
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "tariff_1": "space_heating",
            "tariff_2": "hot_water",
            "tariff_3": "cooling",
            "tariff_4": "other",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Heat pump · Modbus 3"
    assert result["data"] == {
        "role": "heat_pump",
        "address": 3,
        "model": "inepro_4ps",
        "register_map": "inepro_4ps",
        "serial": "23047F1E",
        "tariff_modes": ["space_heating", "hot_water", "cooling", "other"],
    }


async def test_inepro_4ps_in_another_role_has_no_tariffs(
    hass: HomeAssistant, start_bus: StartBus
) -> None:
    """The tariffs only tell the heat pump's modes: a 4PS elsewhere is added right away."""
    server = await start_bus([_meter(MeterModel.INEPRO_4PS, 6, 0x2304_7F1F, 88.0)])
    entry = _installation(server)
    entry.add_to_hass(hass)
    result = await _read_meter(hass, entry, "auxiliary", 6, "inepro_4ps")
    assert result["step_id"] == "confirm"

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"model": "inepro_4ps"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "tariff_modes" not in result["data"]
    assert result["data"]["register_map"] == "inepro_4ps"


# Scanning the bus


async def test_scan_adds_every_meter_found(
    hass: HomeAssistant, installation: MockConfigEntry
) -> None:
    """A scan of a fresh installation finds BeNext's three meters and adds them in one go."""
    installation.add_to_hass(hass)
    result = await _scan(hass, installation, 1, 6)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "scan_result"
    assert result["description_placeholders"] == {"count": "3"}
    assert _options(result, "meters") == [
        {"value": "2", "label": "Modbus 2 · Eastron SDM630 · 21060123"},
        {"value": "3", "label": "Modbus 3 · Eastron SDM220/SDM230 · 22110456"},
        {"value": "4", "label": "Modbus 4 · Eastron SDM220/SDM230 · 22110789"},
    ]
    assert _default(result, "meters") == ["2", "3", "4"]

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"meters": ["2", "3", "4"]}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "kwh_meters_added"
    assert result["description_placeholders"] == {
        "count": "3",
        "meters": "PV · Modbus 2, Heat pump · Modbus 3, Ventilation · Modbus 4",
    }
    assert _meters(installation) == {
        "PV · Modbus 2": PV_METER,
        "Heat pump · Modbus 3": HEAT_PUMP_METER,
        "Ventilation · Modbus 4": VENTILATION_METER,
    }


async def test_scan_of_a_running_installation_creates_every_device(
    hass: HomeAssistant, installation: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """Meters a scan adds to a running installation each get their device."""
    assert await setup_integration(hass, installation)
    result = await _scan(hass, installation, 2, 4)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"meters": ["2", "3", "4"]}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    devices = {
        device.name: (device.manufacturer, device.model, device.serial_number)
        for subentry_id in installation.subentries
        if (
            device := device_registry.async_get_device_by_identifier(
                (DOMAIN, subentry_id), installation.entry_id
            )
        )
    }
    assert devices == {
        "PV · Modbus 2": ("Eastron", "SDM630", "21060123"),
        "Heat pump · Modbus 3": ("Eastron", "SDM220/SDM230", "22110456"),
        "Ventilation · Modbus 4": ("Eastron", "SDM220/SDM230", "22110789"),
    }


async def test_scan_adds_the_chosen_meters(hass: HomeAssistant, start_bus: StartBus) -> None:
    """Only the chosen meters are added; one off BeNext's addresses is auxiliary."""
    server = await start_bus(
        [
            *benext_meters(),
            _meter(MeterModel.INEPRO_PRO1, 5, 0x2201_A0B2, 12.0),
        ]
    )
    entry = _installation(server)
    entry.add_to_hass(hass)
    result = await _scan(hass, entry, 4, 5)
    assert _default(result, "meters") == ["4", "5"]

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"meters": ["5"]}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "kwh_meters_added"
    assert result["description_placeholders"] == {"count": "1", "meters": "Auxiliary · Modbus 5"}
    assert _meters(entry) == {
        "Auxiliary · Modbus 5": {
            "role": "auxiliary",
            "address": 5,
            "model": "inepro_pro1",
            "register_map": "inepro_1p",
            "serial": "2201A0B2",
        }
    }


async def test_scan_skips_configured_meters(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """Meters that are configured already are not offered again."""
    entry = _installation(modbus_server, [modbus_meter_subentry("pv", 2, "eastron_sdm630")])
    entry.add_to_hass(hass)
    result = await _scan(hass, entry, 2, 4)

    assert result["step_id"] == "scan_result"
    assert result["description_placeholders"] == {"count": "2"}
    assert [option["value"] for option in _options(result, "meters")] == ["3", "4"]


async def test_scan_leaves_out_what_is_no_kwh_meter(
    hass: HomeAssistant, installation: MockConfigEntry, modbus_server: ModbusTcpPeer
) -> None:
    """A device that answers only with exceptions is on the bus, but not offered."""
    modbus_server.meters[4].exception = ExcCodes.ILLEGAL_FUNCTION
    installation.add_to_hass(hass)
    result = await _scan(hass, installation, 3, 4)

    assert result["step_id"] == "scan_result"
    assert [option["value"] for option in _options(result, "meters")] == ["3"]


async def test_scan_finds_nothing(hass: HomeAssistant, installation: MockConfigEntry) -> None:
    """No meter answers in the range: nothing to add."""
    installation.add_to_hass(hass)
    result = await _scan(hass, installation, 5, 6)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_meters_found"
    assert result["description_placeholders"] == {"first": "5", "last": "6"}
    assert installation.subentries == {}


async def test_scan_of_configured_meters_finds_nothing(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Every meter in the range is configured already: nothing new was found."""
    mock_config_entry.add_to_hass(hass)
    result = await _scan(hass, mock_config_entry, 2, 4)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_meters_found"
    assert len(mock_config_entry.subentries) == 3


async def test_scan_none_chosen(hass: HomeAssistant, installation: MockConfigEntry) -> None:
    """Unticking every meter found adds none."""
    installation.add_to_hass(hass)
    result = await _scan(hass, installation, 2, 2)
    assert result["step_id"] == "scan_result"

    result = await hass.config_entries.subentries.async_configure(result["flow_id"], {"meters": []})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_meters_chosen"
    assert installation.subentries == {}


async def test_scan_range_must_not_be_reversed(
    hass: HomeAssistant, installation: MockConfigEntry
) -> None:
    """The last address of a scan cannot be below the first."""
    installation.add_to_hass(hass)
    result = await _start(hass, installation)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "scan"}
    )
    assert _default(result, "first_address") == 1
    assert _default(result, "last_address") == 32

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"first_address": 6, "last_address": 2}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "scan"
    assert result["errors"] == {"last_address": "invalid_range"}


async def test_scan_of_a_live_bus_disturbs_no_poll(
    hass: HomeAssistant, start_bus: StartBus, caplog: pytest.LogCaptureFixture
) -> None:
    """A scan shares the client with the polls: empty addresses drop no connection."""
    server = await start_bus(
        [*benext_meters(), _meter(MeterModel.INEPRO_PRO1, 16, 0x2201_A0B9, 7.0)]
    )
    # Polled every 3 s, and unavailable at the first failed poll.
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(server.port)}},
        options={"modbus_poll_interval": 3, "modbus_failed_polls": 1},
        subentries_data=[
            modbus_meter_subentry("pv", 2, "eastron_sdm630"),
            modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
            modbus_meter_subentry("ventilation", 4, "eastron_sdm220"),
        ],
    )
    assert await setup_integration(hass, entry)
    kwh_entities = [
        "sensor.pv_modbus_2_energy_production",
        "sensor.heat_pump_modbus_3_energy_consumption",
        "sensor.ventilation_modbus_4_energy_consumption",
    ]
    states: list[str] = []

    @callback
    def seen(event: Event[EventStateChangedData]) -> None:
        if (state := event.data["new_state"]) is not None:
            states.append(state.state)

    unsubscribe = async_track_state_change_event(hass, kwh_entities, seen)
    polled = len(server.meters[4].requests)
    caplog.set_level(logging.WARNING, logger="pymodbus.logging")
    caplog.set_level(logging.DEBUG, logger="custom_components.benext")
    # 5..15 are empty: 5.5 s of silence, between two polls more unanswered requests in a
    # row than pymodbus lets go by before it hangs up.
    result = await _scan(hass, entry, 5, 16)
    unsubscribe()

    assert result["step_id"] == "scan_result"
    assert [option["value"] for option in _options(result, "meters")] == ["16"]
    # The polls went on meanwhile.
    assert len(server.meters[4].requests) > polled
    assert STATE_UNAVAILABLE not in states
    for entity_id in kwh_entities:
        assert hass.states.get(entity_id).state != STATE_UNAVAILABLE
    assert hass.states.get("binary_sensor.demo_home_rs485").state == STATE_ON
    # Each empty address is one debug line, and pymodbus shows no error.
    assert not [
        record
        for record in caplog.records
        if record.levelno >= logging.WARNING
        and record.name.startswith(("pymodbus", "custom_components.benext"))
    ]
    empty = [
        record
        for record in caplog.records
        if record.getMessage().startswith("Bus scan: nothing answers at address")
    ]
    assert [record.levelno for record in empty] == [logging.DEBUG] * 11
    await hass.config_entries.async_unload(entry.entry_id)


async def test_scan_cannot_connect(
    hass: HomeAssistant, installation: MockConfigEntry, modbus_server: ModbusTcpPeer
) -> None:
    """The converter is down: the scan ends saying the bus cannot be reached."""
    installation.add_to_hass(hass)
    await modbus_server.stop()
    result = await _scan(hass, installation, 1, 6)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


# Changing a meter


async def test_reconfigure_meter(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """Swapping a meter's role: the address check ignores the meter itself."""
    assert await setup_integration(hass, mock_config_entry)

    result = await mock_config_entry.start_subentry_reconfigure_flow(hass, "meter_heat_pump")
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"role": "heat_pump", "address": 4, "model": "eastron_sdm220"}
    )
    assert result["errors"] == {"address": "address_in_use"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"role": "ventilation", "address": 3, "model": "detect"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    subentry = mock_config_entry.subentries["meter_heat_pump"]
    assert subentry.title == "Ventilation · Modbus 3"
    # The meter was read: its model, map and serial are what answered.
    assert dict(subentry.data) == HEAT_PUMP_METER | {"role": "ventilation"}
    # The reload renamed the meter's device.
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, "meter_heat_pump"), mock_config_entry.entry_id
    )
    assert device is not None
    assert device.name == "Ventilation · Modbus 3"
    assert device.serial_number == "22110456"


async def test_reconfigure_to_an_address_without_meter(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Moving a meter to an address where nothing answers is refused; nothing changes."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_subentry_reconfigure_flow(hass, "meter_heat_pump")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"role": "heat_pump", "address": 9, "model": "eastron_sdm220"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": "no_answer"}
    assert result["description_placeholders"]["address"] == "9"
    subentry = mock_config_entry.subentries["meter_heat_pump"]
    assert subentry.title == "Heat pump · Modbus 3"
    assert subentry.data["address"] == 3


async def test_reconfigure_model_mismatch(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """A changed model is checked against the meter too."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_subentry_reconfigure_flow(hass, "meter_pv")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"role": "pv", "address": 2, "model": "inepro_pro380"}
    )

    assert result["errors"] == {"base": "model_mismatch"}
    assert result["description_placeholders"] == {"address": "2", "detected": "Eastron SDM630"}
    assert mock_config_entry.subentries["meter_pv"].data["model"] == "eastron_sdm630"


async def test_reconfigure_to_an_inepro_4ps_asks_its_tariffs(
    hass: HomeAssistant, start_bus: StartBus
) -> None:
    """The heat pump's meter replaced by a 4PS: the change goes on to its tariffs."""
    server = await start_bus([_meter(MeterModel.INEPRO_4PS, 3, 0x2304_7F20, 5.0)])
    entry = _installation(server, [modbus_meter_subentry("heat_pump", 3, "eastron_sdm220")])
    entry.add_to_hass(hass)
    result = await entry.start_subentry_reconfigure_flow(hass, "meter_heat_pump")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"role": "heat_pump", "address": 3, "model": "detect"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "tariffs"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "tariff_1": "hot_water",
            "tariff_2": "space_heating",
            "tariff_3": "other",
            "tariff_4": "cooling",
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert dict(entry.subentries["meter_heat_pump"].data) == {
        "role": "heat_pump",
        "address": 3,
        "model": "inepro_4ps",
        "register_map": "inepro_4ps",
        "serial": "23047F20",
        "tariff_modes": ["hot_water", "space_heating", "other", "cooling"],
    }
