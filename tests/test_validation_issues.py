"""The validation's findings as repair issues: raised in the user's words, cleared, fixed."""

from __future__ import annotations

from dataclasses import replace
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.components.repairs import DOMAIN as REPAIRS_DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import CONF_MODBUS_POLL_INTERVAL, DOMAIN
from custom_components.benext.domain.validation.findings import Finding, FindingCode, finding
from custom_components.benext.domain.validation.validate import validate
from custom_components.benext.validation_issues import async_update_validation_issues
from custom_components.benext.validation_snapshot import home_snapshot
from tests import setup_integration
from tests.modbus_helpers import modbus_meter_subentry
from tests.p1_helpers import wait_for
from tests.peers import ModbusTcpPeer, P1TelegramServer, network
from tests.validation_helpers import benext_home
from tests.wmbus_fixtures import WMBUS_FIXTURES
from tests.wmbus_helpers import ClientFactory, meter_of
from tests.wmbus_peers import async_post_wrong_key_telegram, wmbus_entry

STRINGS = Path(__file__).parent.parent / "custom_components" / "benext" / "strings.json"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
ENCRYPTED_WATER, HEAT = WMBUS_FIXTURES[0], WMBUS_FIXTURES[7]
F = FindingCode


def home() -> MockConfigEntry:
    """An installation with BeNext's three kWh meters, a heat meter and a water meter."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={},
        subentries_data=[
            modbus_meter_subentry("pv", 2),
            modbus_meter_subentry("heat_pump", 3),
            modbus_meter_subentry("ventilation", 4),
            {
                "subentry_id": "meter_heat",
                "subentry_type": "wmbus_meter",
                "title": "Space heating · wM-Bus 12345678",
                "unique_id": "12345678",
                "data": {"meter_id": "12345678", "role": "space_heating"},
            },
        ],
    )


# One due finding of every code, as the checks make them, and what its issue shows.
FINDINGS: dict[FindingCode, tuple[Finding, dict[str, str]]] = {
    F.BUS_OFFLINE: (
        finding(F.BUS_OFFLINE, subject="modbus", bus="modbus"),
        {
            "bus": "RS485",
            # Only what to check on that bus.
            "instructions": (
                "Check that the RS485 converter has power, that its network cable or USB plug"
                " is in, and that the A and B wires to the meters are connected."
            ),
        },
    ),
    F.P1_NOT_ARRIVING: (finding(F.P1_NOT_ARRIVING, subject="p1", bus="p1"), {"bus": "P1"}),
    F.METER_UNREACHABLE: (
        finding(F.METER_UNREACHABLE, "meter_pv", bus="modbus"),
        {"meter": "PV · Modbus 2", "bus": "RS485"},
    ),
    F.VALUES_NOT_FORWARDED: (
        finding(F.VALUES_NOT_FORWARDED, "meter_ventilation", role="ventilation"),
        {"meter": "Ventilation · Modbus 4", "role": "Ventilation"},
    ),
    F.VALUES_READ_ZERO: (
        finding(F.VALUES_READ_ZERO, "meter_heat_pump", role="heat_pump"),
        {"role": "Heat pump"},
    ),
    F.ROLE_MISSING: (
        finding(F.ROLE_MISSING, subject="grid", role="grid"),
        {"roles": "Grid"},
    ),
    F.ROLE_DUPLICATED: (
        finding(
            F.ROLE_DUPLICATED, "meter_heat_pump", "meter_pv", subject="pv", role="pv", count="2"
        ),
        {"role": "PV", "count": "2", "meters": "Heat pump · Modbus 3, PV · Modbus 2"},
    ),
    **{
        code: (
            finding(
                code,
                "meter_pv",
                subject="day_10",
                day="10",
                season="summer",
                amount="3",
                low="10",
                high="100",
                unit="kWh",
            ),
            {"day": "10", "season": "summer", "amount": "3", "low": "10", "high": "100"},
        )
        for code in (
            F.PV_OUT_OF_BAND,
            F.HEAT_PUMP_OUT_OF_BAND,
            F.VENTILATION_OUT_OF_BAND,
            F.SPACE_HEATING_OUT_OF_BAND,
            F.HOT_TAP_WATER_OUT_OF_BAND,
        )
    },
    F.INDOOR_TEMPERATURE_OUT_OF_BAND: (
        finding(
            F.INDOOR_TEMPERATURE_OUT_OF_BAND, "meter_heat", temperature="31", low="15", high="25"
        ),
        {"temperature": "31"},
    ),
    F.PV_OWN_USE_ABOVE_PRODUCTION: (
        finding(F.PV_OWN_USE_ABOVE_PRODUCTION, "meter_pv", production="2", own_use="40"),
        {"production": "2", "own_use": "40"},
    ),
    F.PV_PRODUCTION_AT_NIGHT: (
        finding(F.PV_PRODUCTION_AT_NIGHT, "meter_pv", production="0.8"),
        {"production": "0.8"},
    ),
    F.NEGATIVE_HOUSEHOLD_CONSUMPTION: (
        finding(F.NEGATIVE_HOUSEHOLD_CONSUMPTION, consumption="-12.5"),
        {"consumption": "-12.5", "installation": "Demo home"},
    ),
    F.HEAT_PUMP_VENTILATION_SWAPPED: (
        finding(
            F.HEAT_PUMP_VENTILATION_SWAPPED,
            "meter_heat_pump",
            "meter_ventilation",
            higher_amount="30",
            lower_amount="300",
            unit="kWh",
        ),
        {
            "meter": "Heat pump · Modbus 3",
            "other_meter": "Ventilation · Modbus 4",
            "higher_amount": "30",
            "lower_amount": "300",
        },
    ),
    F.SPACE_HEATING_HOT_TAP_WATER_SWAPPED: (
        finding(
            F.SPACE_HEATING_HOT_TAP_WATER_SWAPPED,
            "meter_heat",
            "meter_ventilation",
            higher_amount="0.5",
            lower_amount="9",
            unit="m³",
        ),
        {"unit": "m³"},
    ),
    F.MODBUS_ADDRESS_WRONG: (
        finding(F.MODBUS_ADDRESS_WRONG, "meter_ventilation", address="4", found_address="9"),
        {"address": "4", "found_address": "9"},
    ),
    F.WATER_METER_REVERSED: (
        finding(F.WATER_METER_REVERSED, "meter_heat", reason="falling_total"),
        {"reason": "its total went down"},
    ),
    F.HEAT_METER_ERROR: (
        finding(F.HEAT_METER_ERROR, "meter_heat", code="8002"),
        {"code": "8002", "meaning": "Electronics failure, Reverse flow"},
    ),
    F.SENSOR_IN_WRONG_HOUSE: (
        finding(
            F.SENSOR_IN_WRONG_HOUSE,
            "meter_heat",
            reason="weak_signal",
            rssi_dbm="-101",
            telegrams_per_hour="",
        ),
        {"reason": "its signal is weak (-101 dBm)"},
    ),
}
FIXABLE = {
    F.HEAT_PUMP_VENTILATION_SWAPPED,
    F.SPACE_HEATING_HOT_TAP_WATER_SWAPPED,
    F.MODBUS_ADDRESS_WRONG,
}
ERRORS = {
    F.BUS_OFFLINE,
    F.P1_NOT_ARRIVING,
    F.METER_UNREACHABLE,
    F.NEGATIVE_HOUSEHOLD_CONSUMPTION,
}


async def async_add_home_not_started(hass: HomeAssistant) -> MockConfigEntry:
    """The installation added (not set up), with BeNext's repairs and the repairs dialog loaded."""
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})
    assert await async_setup_component(hass, DOMAIN, {})
    entry = home()
    entry.add_to_hass(hass)
    return entry


def validation_issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    """The validation's repair issues, by id."""
    return {
        issue_id: issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue_id.startswith("validation_")
    }


def issue_keys(hass: HomeAssistant) -> set[str | None]:
    """The translation keys of the validation's repair issues: what each is about."""
    return {issue.translation_key for issue in validation_issues(hass).values()}


def test_every_finding_but_the_wrong_key_is_in_the_table() -> None:
    """The table covers every code; the wrong key is wM-Bus's own issue."""
    assert set(FINDINGS) == set(FindingCode) - {F.WRONG_AES_KEY}


@pytest.mark.parametrize("code", list(FINDINGS))
async def test_a_due_finding_is_an_issue_in_the_users_words(
    hass: HomeAssistant, code: FindingCode
) -> None:
    """A due finding raises one issue, named by its code, with every placeholder its text needs."""
    entry = home()
    entry.add_to_hass(hass)
    due, shown = FINDINGS[code]

    await async_update_validation_issues(hass, entry, [due])

    ((issue_id, issue),) = validation_issues(hass).items()
    # Every missing role is named in one issue.
    one_of_its_kind = code is F.ROLE_MISSING
    assert issue_id == f"validation_{entry.entry_id}_{code if one_of_its_kind else due.issue_id}"
    assert issue.translation_key == code.value
    placeholders = issue.translation_placeholders or {}
    assert shown.items() <= placeholders.items()
    assert placeholders["installation"] == "Demo home"
    text = json.loads(STRINGS.read_text(encoding="utf-8"))["issues"][code.value]
    needed = set(PLACEHOLDER.findall(text["title"] + text["description"]))
    assert needed <= set(placeholders)
    assert issue.is_fixable is (code in FIXABLE)
    assert issue.severity is (
        ir.IssueSeverity.ERROR if code in ERRORS else ir.IssueSeverity.WARNING
    )
    assert not issue.is_persistent


async def test_placeholders_read_in_the_users_language(hass: HomeAssistant) -> None:
    """A Dutch installer reads Dutch roles, seasons, reasons and error meanings."""
    hass.config.language = "nl"
    entry = home()
    entry.add_to_hass(hass)
    due = [
        FINDINGS[F.ROLE_MISSING][0],
        FINDINGS[F.PV_OUT_OF_BAND][0],
        FINDINGS[F.WATER_METER_REVERSED][0],
        FINDINGS[F.HEAT_METER_ERROR][0],
        finding(
            F.SENSOR_IN_WRONG_HOUSE,
            "meter_heat",
            reason="sparse_telegrams",
            rssi_dbm="",
            telegrams_per_hour="0.5",
        ),
    ]

    await async_update_validation_issues(hass, entry, due)

    shown = {
        issue.translation_key: issue.translation_placeholders or {}
        for issue in validation_issues(hass).values()
    }
    assert shown["role_missing"]["roles"] == "Net"
    assert shown["pv_out_of_band"]["season"] == "zomer"
    assert shown["water_meter_reversed"]["reason"] == "zijn meterstand is gedaald"
    assert shown["heat_meter_error"]["meaning"] == "Storing in de elektronica, Terugstroming"
    assert shown["sensor_in_wrong_house"]["reason"] == (
        "hij wordt zelden ontvangen (0.5 telegrammen per uur)"
    )


async def test_every_missing_role_is_named_in_one_issue(hass: HomeAssistant) -> None:
    """A home that uses only its smart meter gets one issue for the roles it lacks."""
    entry = home()
    entry.add_to_hass(hass)
    missing = [finding(F.ROLE_MISSING, subject=role, role=role) for role in ("pv", "heat_pump")]

    await async_update_validation_issues(hass, entry, missing)

    (issue,) = validation_issues(hass).values()
    assert issue.translation_placeholders == {"installation": "Demo home", "roles": "PV, Heat pump"}
    await async_update_validation_issues(hass, entry, missing[:1])
    (issue,) = validation_issues(hass).values()
    assert issue.translation_placeholders == {"installation": "Demo home", "roles": "PV"}


async def test_an_issue_clears_itself_when_its_finding_is_gone(hass: HomeAssistant) -> None:
    """Only the due findings have issues; another installation's issues stay."""
    entry, other = home(), home()
    entry.add_to_hass(hass)
    other.add_to_hass(hass)
    offline, missing = FINDINGS[F.BUS_OFFLINE][0], FINDINGS[F.ROLE_MISSING][0]
    await async_update_validation_issues(hass, other, [missing])

    await async_update_validation_issues(hass, entry, [offline, missing])
    assert len(validation_issues(hass)) == 3
    await async_update_validation_issues(hass, entry, [missing])
    assert sorted(issue.translation_key for issue in validation_issues(hass).values()) == [
        "role_missing",
        "role_missing",
    ]
    await async_update_validation_issues(hass, entry, [])

    assert list(validation_issues(hass)) == [f"validation_{other.entry_id}_role_missing"]


@pytest.mark.usefixtures("socket_enabled")
async def test_a_wrong_key_is_one_issue_the_one_with_the_key_fix(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """The validation finds the wrong key too, but raises no second issue for it."""
    water = meter_of(ENCRYPTED_WATER)
    entry = wmbus_entry([water])
    assert await setup_integration(hass, entry)
    await async_post_wrong_key_telegram(await hass_client_no_auth(), ENCRYPTED_WATER, "00" * 16)
    await hass.async_block_till_done()
    validation = validate(home_snapshot(entry, dt_util.utcnow()))
    assert F.WRONG_AES_KEY in {found.code for found in validation.findings}

    await async_update_validation_issues(hass, entry, validation.findings)

    about_the_water_meter = [
        issue.translation_key
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and water.subentry_id in issue_id
    ]
    assert about_the_water_meter == ["wmbus_wrong_key_http"]


async def start_fix(client: Any, issue_id: str) -> dict[str, Any]:
    """Open an issue's fix flow as the repairs dialog does."""
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    assert response.status == 200
    return dict(await response.json())


async def submit(client: Any, flow: dict[str, Any]) -> dict[str, Any]:
    """Confirm a fix flow's form."""
    response = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    assert response.status == 200
    return dict(await response.json())


def meter_entities(hass: HomeAssistant, subentry_id: str) -> dict[str, str]:
    """A meter's entities: unique id -> entity id."""
    return {
        entity.unique_id: entity.entity_id
        for entity in er.async_get(hass).entities.values()
        if entity.config_subentry_id == subentry_id
    }


async def test_swapping_the_roles_keeps_each_meters_entities_and_history(
    hass: HomeAssistant,
    hass_client: ClientFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """Heat pump 30 kWh against ventilation 300 kWh: the fix swaps the roles, not the meters."""
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})
    entry = benext_home(p1_server, modbus_server)
    assert await setup_integration(hass, entry)
    await wait_for(hass, "product_status", "ok")
    heat_pump_entities = meter_entities(hass, "meter_heat_pump")
    ventilation_entities = meter_entities(hass, "meter_ventilation")
    swapped = FINDINGS[F.HEAT_PUMP_VENTILATION_SWAPPED][0]
    await async_update_validation_issues(hass, entry, [swapped])
    (issue_id,) = validation_issues(hass)
    client = await hass_client()

    flow = await start_fix(client, issue_id)
    assert flow["type"] == "form"
    assert flow["step_id"] == "confirm"
    assert flow["description_placeholders"] == {
        "meter": "Heat pump · Modbus 3",
        "role": "Heat pump",
        "other_meter": "Ventilation · Modbus 4",
        "other_role": "Ventilation",
    }
    assert (await submit(client, flow))["type"] == "create_entry"
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    meters = {sub_id: (sub.title, sub.data["role"]) for sub_id, sub in entry.subentries.items()}
    assert meters["meter_heat_pump"] == ("Ventilation · Modbus 3", "ventilation")
    assert meters["meter_ventilation"] == ("Heat pump · Modbus 4", "heat_pump")
    # Same entities, same history: only their names follow the new roles.
    assert meter_entities(hass, "meter_heat_pump") == heat_pump_entities
    assert meter_entities(hass, "meter_ventilation") == ventilation_entities
    at_address_3 = heat_pump_entities["meter_heat_pump_import_energy"]
    assert at_address_3 == "sensor.heat_pump_modbus_3_energy_consumption"
    state = hass.states.get(at_address_3)
    assert state is not None
    assert state.attributes["friendly_name"] == "Ventilation · Modbus 3 Energy consumption"
    assert state.state == "3512.8"
    assert "heat_pump_ventilation_swapped" not in issue_keys(hass)


@pytest.mark.usefixtures("socket_enabled")
async def test_swapping_the_heat_meters_renames_them(
    hass: HomeAssistant, hass_client: ClientFactory
) -> None:
    """Space heating and hot tap water swap on wM-Bus too, titled by their new roles."""
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})
    heat = meter_of(HEAT)
    water = replace(meter_of(ENCRYPTED_WATER), role="hot_tap_water")
    entry = wmbus_entry([heat, water])
    assert await setup_integration(hass, entry)
    swapped = finding(
        F.SPACE_HEATING_HOT_TAP_WATER_SWAPPED,
        heat.subentry_id,
        water.subentry_id,
        higher_amount="0.5",
        lower_amount="9",
        unit="m³",
    )
    await async_update_validation_issues(hass, entry, [swapped])
    (issue_id,) = validation_issues(hass)
    client = await hass_client()

    flow = await start_fix(client, issue_id)
    assert (await submit(client, flow))["type"] == "create_entry"
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert entry.subentries[heat.subentry_id].data["role"] == "hot_tap_water"
    assert entry.subentries[heat.subentry_id].title == f"hot_tap_water · wM-Bus {heat.meter_id}"
    assert entry.subentries[water.subentry_id].data["role"] == "space_heating"
    assert entry.subentries[water.subentry_id].title == (f"space_heating · wM-Bus {water.meter_id}")


@pytest.mark.parametrize(
    ("due", "gone"),
    [
        (FINDINGS[F.HEAT_PUMP_VENTILATION_SWAPPED][0], "meter_ventilation"),
        (FINDINGS[F.MODBUS_ADDRESS_WRONG][0], "meter_ventilation"),
    ],
)
async def test_a_fix_for_a_meter_removed_meanwhile_aborts(
    hass: HomeAssistant, hass_client: ClientFactory, due: Finding, gone: str
) -> None:
    """A meter removed after the issue was raised: the fix says so and changes nothing."""
    entry = await async_add_home_not_started(hass)
    await async_update_validation_issues(hass, entry, [due])
    (issue_id,) = validation_issues(hass)
    hass.config_entries.async_remove_subentry(entry, gone)
    client = await hass_client()

    flow = await start_fix(client, issue_id)

    assert flow["type"] == "abort"
    assert flow["reason"] == "meter_gone"
    strings = json.loads(STRINGS.read_text(encoding="utf-8"))["issues"]
    assert strings[due.code.value]["fix_flow"]["abort"]["meter_gone"]
    assert entry.subentries["meter_heat_pump"].data["role"] == "heat_pump"


async def test_roles_changed_meanwhile_are_not_swapped(
    hass: HomeAssistant, hass_client: ClientFactory
) -> None:
    """The installer already corrected the roles: the fix swaps nothing back."""
    entry = await async_add_home_not_started(hass)
    await async_update_validation_issues(
        hass, entry, [FINDINGS[F.HEAT_PUMP_VENTILATION_SWAPPED][0]]
    )
    (issue_id,) = validation_issues(hass)
    for subentry_id, role in (
        ("meter_heat_pump", "ventilation"),
        ("meter_ventilation", "heat_pump"),
    ):
        subentry = entry.subentries[subentry_id]
        hass.config_entries.async_update_subentry(
            entry, subentry, data={**subentry.data, "role": role}
        )

    flow = await start_fix(await hass_client(), issue_id)

    assert flow["reason"] == "roles_changed"
    assert entry.subentries["meter_heat_pump"].data["role"] == "ventilation"


async def test_the_address_found_by_the_scan_is_stored(
    hass: HomeAssistant, hass_client: ClientFactory, modbus_server: ModbusTcpPeer
) -> None:
    """The ventilation meter was configured at 7 but answers at 4: the fix moves it there."""
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
        options={CONF_MODBUS_POLL_INTERVAL: 30},
        subentries_data=[
            modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
            modbus_meter_subentry("ventilation", 7, "eastron_sdm220"),
        ],
    )
    assert await setup_integration(hass, entry)
    consumption = "sensor.ventilation_modbus_7_energy_consumption"
    silent = hass.states.get(consumption)
    assert silent is None or silent.state in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    wrong = finding(F.MODBUS_ADDRESS_WRONG, "meter_ventilation", address="7", found_address="4")
    await async_update_validation_issues(hass, entry, [wrong])
    (issue_id,) = validation_issues(hass)
    client = await hass_client()

    flow = await start_fix(client, issue_id)
    assert flow["step_id"] == "confirm"
    assert flow["description_placeholders"] == {
        "meter": "Ventilation · Modbus 7",
        "address": "7",
        "found_address": "4",
    }
    assert (await submit(client, flow))["type"] == "create_entry"
    await hass.async_block_till_done()

    ventilation = entry.subentries["meter_ventilation"]
    assert ventilation.data["address"] == 4
    assert ventilation.title == "Ventilation · Modbus 4"
    assert entry.state is ConfigEntryState.LOADED
    state = hass.states.get(consumption)
    assert state is not None
    assert state.state == "812.4"
    assert "modbus_address_wrong" not in issue_keys(hass)


async def test_an_address_another_meter_took_meanwhile_is_refused(
    hass: HomeAssistant, hass_client: ClientFactory
) -> None:
    """Two meters never share an address: the fix aborts and changes nothing."""
    entry = await async_add_home_not_started(hass)
    taken = finding(F.MODBUS_ADDRESS_WRONG, "meter_ventilation", address="4", found_address="3")
    await async_update_validation_issues(hass, entry, [taken])
    (issue_id,) = validation_issues(hass)

    flow = await start_fix(await hass_client(), issue_id)

    assert flow["reason"] == "address_taken"
    assert entry.subentries["meter_ventilation"].data["address"] == 4
