"""The Energy dashboard in one step: offered as a repair, and as an action."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from homeassistant.components.energy.data import async_get_manager
from homeassistant.components.repairs import DOMAIN as REPAIRS_DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import DOMAIN
from tests import setup_integration
from tests.dashboard_helpers import grid
from tests.existing_helpers import (
    HEAT_PUMP_ENERGY,
    ROOM_SENSOR,
    existing_entity_subentry,
    set_heat_pump_energy,
    set_room_temperature,
)
from tests.modbus_helpers import modbus_meter_subentry
from tests.peers import ModbusTcpPeer, P1TelegramServer, network
from tests.validation_helpers import benext_home
from tests.wmbus_fixtures import WMBUS_FIXTURES
from tests.wmbus_helpers import ClientFactory, meter_of
from tests.wmbus_peers import wmbus_entry

IMPORT_T1 = "sensor.smart_meter_p1_energy_import_tariff_1"
IMPORT_T2 = "sensor.smart_meter_p1_energy_import_tariff_2"
EXPORT_T1 = "sensor.smart_meter_p1_energy_export_tariff_1"
EXPORT_T2 = "sensor.smart_meter_p1_energy_export_tariff_2"
PV = "sensor.pv_modbus_2_energy_production"
GAS = "sensor.gas_meter_demo_home_gas"
HEAT_PUMP = "sensor.heat_pump_modbus_3_energy_consumption"
VENTILATION = "sensor.ventilation_modbus_4_energy_consumption"
# What another integration put in the dashboard before BeNext came.
ROOF_INVERTER = "sensor.roof_inverter_energy"


def solar(statistic_id: str) -> dict[str, Any]:
    return {"type": "solar", "stat_energy_from": statistic_id, "config_entry_solar_forecast": None}


def metered(kind: str, statistic_id: str) -> dict[str, Any]:
    return {
        "type": kind,
        "stat_energy_from": statistic_id,
        "stat_cost": None,
        "entity_energy_price": None,
        "number_energy_price": None,
    }


# The demo home's meters in the dashboard: the smart meter's two tariffs as two grid
# connections, the PV meter's production, the gas meter the smart meter relays, and the
# heat pump and ventilation as individual devices.
DEMO_HOME_DASHBOARD: Any = {
    "energy_sources": [
        grid(IMPORT_T1, EXPORT_T1),
        grid(IMPORT_T2, EXPORT_T2),
        solar(PV),
        metered("gas", GAS),
    ],
    "device_consumption": [{"stat_consumption": HEAT_PUMP}, {"stat_consumption": VENTILATION}],
    "device_consumption_water": [],
}


def energy_issues(hass: HomeAssistant) -> list[ir.IssueEntry]:
    """BeNext's offers to fill the Energy dashboard."""
    return [
        issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue_id.startswith("energy_dashboard_")
    ]


async def set_up_home(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """The installation set up, with the repairs dialog loaded."""
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})
    assert await setup_integration(hass, entry)


async def dashboard(hass: HomeAssistant) -> Any:
    """The Energy dashboard's settings as Home Assistant keeps them."""
    return (await async_get_manager(hass)).data


async def test_fix_flow_fills_an_empty_dashboard(
    hass: HomeAssistant,
    hass_client: ClientFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """The offer lists the meters by name, then adds exactly them; the offer is gone."""
    await set_up_home(hass, benext_home(p1_server, modbus_server))
    [issue] = energy_issues(hass)
    assert issue.translation_key == "energy_dashboard"
    assert issue.is_fixable
    assert issue.severity is ir.IssueSeverity.WARNING
    assert await dashboard(hass) is None
    client = await hass_client()

    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue.issue_id}
    )
    form = await response.json()

    assert form["step_id"] == "confirm"
    assert form["description_placeholders"] == {
        "installation": "Demo home",
        "grid_import": "Smart meter · P1 Energy import tariff 1, "
        "Smart meter · P1 Energy import tariff 2",
        "grid_export": "Smart meter · P1 Energy export tariff 1, "
        "Smart meter · P1 Energy export tariff 2",
        "solar": "PV · Modbus 2 Energy production",
        "gas": "Gas meter · Demo home Gas",
        "water": "—",
        "device": "Heat pump · Modbus 3 Energy consumption, "
        "Ventilation · Modbus 4 Energy consumption",
    }
    assert await dashboard(hass) is None, "nothing changes before the user confirms"

    response = await client.post(f"/api/repairs/issues/fix/{form['flow_id']}", json={})

    assert (await response.json())["type"] == "create_entry"
    assert await dashboard(hass) == DEMO_HOME_DASHBOARD
    assert energy_issues(hass) == []


async def test_action_merges_with_a_configured_dashboard(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """Tariff 1's import is there with its price, and a foreign solar source: both stay."""
    manager = await async_get_manager(hass)
    mine = grid(IMPORT_T1, None, number_energy_price=0.31)
    await manager.async_update(
        {"energy_sources": [mine, solar(ROOF_INVERTER)], "device_consumption": []}
    )
    entry = benext_home(p1_server, modbus_server)
    await set_up_home(hass, entry)

    response = await hass.services.async_call(
        DOMAIN,
        "add_to_energy_dashboard",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )

    assert response == {
        "added": {
            "grid_import": [IMPORT_T2],
            "grid_export": [EXPORT_T1, EXPORT_T2],
            "solar": [PV],
            "gas": [GAS],
            "device": [HEAT_PUMP, VENTILATION],
        },
        "skipped": {"grid_import": [IMPORT_T1]},
    }
    assert await dashboard(hass) == {
        "energy_sources": [
            mine,
            solar(ROOF_INVERTER),
            grid(None, EXPORT_T1),
            grid(IMPORT_T2, EXPORT_T2),
            solar(PV),
            metered("gas", GAS),
        ],
        "device_consumption": [{"stat_consumption": HEAT_PUMP}, {"stat_consumption": VENTILATION}],
        "device_consumption_water": [],
    }
    assert energy_issues(hass) == []

    again = await hass.services.async_call(
        DOMAIN,
        "add_to_energy_dashboard",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )

    assert again is not None
    assert again["added"] == {}
    assert len((await dashboard(hass))["energy_sources"]) == 6


async def test_offer_withdrawn_once_configured_by_hand(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """The user adds the meters in the dashboard's own settings: the offer goes at once."""
    await set_up_home(hass, benext_home(p1_server, modbus_server))
    assert len(energy_issues(hass)) == 1

    await (await async_get_manager(hass)).async_update(DEMO_HOME_DASHBOARD)
    await hass.async_block_till_done()

    assert energy_issues(hass) == []


async def test_no_offer_when_everything_is_there(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """The dashboard holds the home's meters already: nothing to offer."""
    await (await async_get_manager(hass)).async_update(DEMO_HOME_DASHBOARD)

    await set_up_home(hass, benext_home(p1_server, modbus_server))

    assert energy_issues(hass) == []


async def test_ignored_offer_returns_only_for_new_meters(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """Ignored, the offer stays away after a restart; a new meter offers afresh."""
    home = benext_home(p1_server, modbus_server)
    ventilation = home.subentries["meter_ventilation"]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=home.title,
        data=home.data,
        options=home.options,
        subentries_data=[
            modbus_meter_subentry("pv", 2, "eastron_sdm630"),
            modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
        ],
    )
    await set_up_home(hass, entry)
    [issue] = energy_issues(hass)
    ir.async_ignore_issue(hass, DOMAIN, issue.issue_id, ignore=True)

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    [still] = energy_issues(hass)
    assert still.issue_id == issue.issue_id
    assert still.dismissed_version is not None

    hass.config_entries.async_add_subentry(entry, ventilation)
    await hass.async_block_till_done()

    [fresh] = energy_issues(hass)
    assert fresh.issue_id != issue.issue_id
    assert fresh.dismissed_version is None


HEAT, WATER = WMBUS_FIXTURES[7], WMBUS_FIXTURES[0]


@pytest.mark.usefixtures("socket_enabled")
async def test_water_is_tap_water_never_the_heating_circuit(hass: HomeAssistant) -> None:
    """Cold and hot tap water meters are water sources; the space heating meter is none."""
    space_heating = replace(
        meter_of(HEAT), role="space_heating", fields=("total_heat_energy_kwh", "total_m3")
    )
    hot_tap_water = replace(
        meter_of(HEAT),
        subentry_id="meter_hot",
        meter_id="11112222",
        role="hot_tap_water",
        fields=("total_heat_energy_kwh", "total_m3"),
    )
    cold_water = replace(meter_of(WATER), role="cold_water", fields=("total_m3",))
    entry = wmbus_entry([space_heating, hot_tap_water, cold_water])
    await set_up_home(hass, entry)

    response = await hass.services.async_call(
        DOMAIN,
        "add_to_energy_dashboard",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )

    assert response is not None
    water = response["added"]["water"]
    assert [hass.states.get(entity_id).name for entity_id in water] == [
        "hot_tap_water · wM-Bus 11112222 Volume",
        f"cold_water · wM-Bus {WATER.meter_id} Volume",
    ]
    assert response["added"].keys() == {"water"}


@pytest.mark.usefixtures("socket_enabled")
async def test_no_offer_for_meters_that_are_no_source(hass: HomeAssistant) -> None:
    """A space heating meter alone gives the Energy dashboard nothing: no offer."""
    space_heating = replace(
        meter_of(HEAT), role="space_heating", fields=("total_heat_energy_kwh", "total_m3")
    )
    await set_up_home(hass, wmbus_entry([space_heating]))

    assert energy_issues(hass) == []


async def test_existing_entity_takes_its_roles_place(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """A heat pump integration's energy sensor in the heat pump role is an individual device;
    a room sensor is no source."""
    set_heat_pump_energy(hass, "1234.5")
    set_room_temperature(hass, "21.5")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
        subentries_data=[
            modbus_meter_subentry("pv", 2, "eastron_sdm630"),
            existing_entity_subentry(
                HEAT_PUMP_ENERGY, "heat_pump", "Heat pump energy · Heat pump", "heat_pump"
            ),
            existing_entity_subentry(ROOM_SENSOR, "indoor_climate", "Living room · Indoor"),
        ],
    )
    await set_up_home(hass, entry)

    response = await hass.services.async_call(
        DOMAIN,
        "add_to_energy_dashboard",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )

    assert response == {"added": {"solar": [PV], "device": [HEAT_PUMP_ENERGY]}, "skipped": {}}


async def test_offer_goes_with_the_installation(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """A deleted installation leaves no offer behind, not even an ignored one."""
    entry = benext_home(p1_server, modbus_server)
    await set_up_home(hass, entry)
    [issue] = energy_issues(hass)
    ir.async_ignore_issue(hass, DOMAIN, issue.issue_id, ignore=True)

    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()

    assert energy_issues(hass) == []
