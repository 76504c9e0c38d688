"""Adding and changing kWh meters: config subentries of the installation."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import DOMAIN, SUBENTRY_KWH_METER

from . import setup_integration
from .conftest import kwh_meter_subentry, network
from .peers import ModbusTcpPeer

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
def installation(modbus_server: ModbusTcpPeer) -> MockConfigEntry:
    """An installation with an RS485 bus and no meters yet."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
    )


async def _choose_role(hass: HomeAssistant, entry: MockConfigEntry, role: str) -> dict:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_KWH_METER), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return await hass.config_entries.subentries.async_configure(result["flow_id"], {"role": role})


async def _add_meter(hass: HomeAssistant, entry: MockConfigEntry, role: str) -> dict:
    result = await _choose_role(hass, entry, role)
    assert result["step_id"] == "meter"
    return result


def _default(result: dict, field: str) -> object:
    return next(key for key in result["data_schema"].schema if key == field).default()


@pytest.mark.parametrize(("role", "address"), [("pv", 2), ("heat_pump", 3), ("ventilation", 4)])
async def test_benext_addresses(
    hass: HomeAssistant, installation: MockConfigEntry, role: str, address: int
) -> None:
    """Each role starts at the address BeNext gives it."""
    installation.add_to_hass(hass)
    result = await _add_meter(hass, installation, role)
    assert _default(result, "address") == address
    assert _default(result, "model") == "detect"


async def test_add_meter_creates_its_device(
    hass: HomeAssistant, installation: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """A new meter gets a translated title, a device via the hub and its status sensor."""
    assert await setup_integration(hass, installation)

    result = await _add_meter(hass, installation, "heat_pump")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"address": 3, "model": "inepro_4ps"}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Heat pump · Modbus 3"
    assert result["data"] == {"role": "heat_pump", "address": 3, "model": "inepro_4ps"}
    (subentry,) = installation.subentries.values()
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, subentry.subentry_id), installation.entry_id
    )
    assert device is not None
    assert (device.manufacturer, device.model) == ("Inepro", "4PS")
    assert hass.states.get("sensor.heat_pump_modbus_3_product_status").state == "no_data"


async def test_title_in_the_users_language(
    hass: HomeAssistant, installation: MockConfigEntry
) -> None:
    """A Dutch installer gets a Dutch meter name."""
    await hass.config.async_update(language="nl")
    installation.add_to_hass(hass)
    result = await _add_meter(hass, installation, "heat_pump")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"address": 3, "model": "detect"}
    )
    assert result["title"] == "Warmtepomp · Modbus 3"


async def test_taken_address(hass: HomeAssistant, modbus_server: ModbusTcpPeer) -> None:
    """Two meters cannot share an address; a role whose address is taken gets a free one."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
        subentries_data=[kwh_meter_subentry("pv", 2)],
    )
    entry.add_to_hass(hass)
    result = await _add_meter(hass, entry, "pv")
    assert _default(result, "address") == 5

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"address": 2, "model": "detect"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"address": "address_in_use"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"address": 6, "model": "detect"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_full_bus(hass: HomeAssistant, modbus_server: ModbusTcpPeer) -> None:
    """With all 247 addresses taken there is no room for another meter."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
        subentries_data=[
            kwh_meter_subentry("auxiliary", address) | {"subentry_id": f"meter_{address}"}
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
        result["flow_id"], {"role": "ventilation", "address": 3, "model": "eastron_sdm220"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    subentry = mock_config_entry.subentries["meter_heat_pump"]
    assert subentry.title == "Ventilation · Modbus 3"
    assert subentry.data["role"] == "ventilation"
    # The reload renamed the meter's device.
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, "meter_heat_pump"), mock_config_entry.entry_id
    )
    assert device is not None
    assert device.name == "Ventilation · Modbus 3"
