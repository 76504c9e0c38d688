"""Adding wM-Bus meters: the subentry flow, meters discovered, and the wrong-key repair.

Where telegrams are needed, the real wmbusmeters 2.0.0 decodes the fixtures' telegrams
(tests/fixtures/wmbus_telegrams.json) and posts them to the installation's endpoint
through its `shell=` line (tests/wmbus_peers.py), as a user's wmbusmeters does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
import json
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient
from homeassistant.components.repairs import DOMAIN as REPAIRS_DOMAIN
from homeassistant.config_entries import (
    SOURCE_IGNORE,
    SOURCE_INTEGRATION_DISCOVERY,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.bus.wmbus.config_text import TOKEN_FILE
from custom_components.benext.const import DOMAIN, SUBENTRY_WMBUS_METER
from custom_components.benext.domain.roles import Role
from tests import setup_integration
from tests.installation_flow import BUSES, choose, finish, start, submit
from tests.wmbus_fixtures import WMBUS_FIXTURES, WmbusFixture
from tests.wmbus_peers import (
    TOKEN,
    WEBHOOK_ID,
    WMBUSMETERS,
    Meter,
    async_post_with_wmbusmeters,
    async_post_wrong_key_telegram,
    wmbus_entry,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")

type ClientFactory = Callable[..., Awaitable[TestClient[Any, Any]]]

# The real AES-encrypted capture of a Kamstrup Multical 21, and an unencrypted Axioma
# Qalcosonic heat meter.
MULTICAL21 = WMBUS_FIXTURES[0]
QUALCOSONIC = WMBUS_FIXTURES[7]
# Another Multical 21 (a decrypted simulation): a meter the installation already has.
NEIGHBOUR = WMBUS_FIXTURES[1]
WRONG_KEY = "00" * 16
MULTICAL21_KEY = "28F64A24988064A079AA2C807D6102AE"
# The key as a supplier's letter prints it.
MULTICAL21_KEY_TYPED = "28f6 4a24 9880 64a0 79aa 2c80 7d61 02ae"


def claimed(fixture: WmbusFixture, role: str) -> Meter:
    """The subentry of an installation that has the fixture's meter."""
    return Meter(
        subentry_id=f"meter_{fixture.meter_id}",
        meter_id=fixture.meter_id,
        driver=fixture.driver,
        key=fixture.key,
        role=role,
    )


def meter_input(
    meter_id: str = MULTICAL21.meter_id,
    driver: str = "multical21",
    key: str = MULTICAL21_KEY,
    role: str = "cold_water",
    other_driver: str = "",
) -> dict[str, str]:
    """What the user enters in the meter form."""
    return {
        "meter_id": meter_id,
        "driver": driver,
        "other_driver": other_driver,
        "key": key,
        "role": role,
    }


def form_values(result: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows in each field: its suggested value, else its default."""
    values: dict[str, Any] = {}
    for key in result["data_schema"].schema:
        description = key.description or {}
        if "suggested_value" in description:
            values[str(key)] = description["suggested_value"]
        elif callable(key.default):
            values[str(key)] = key.default()
    return values


def select_options(result: Mapping[str, Any], field: str) -> list[tuple[str, str]]:
    """The (value, label) pairs of a list field; a plain option is its own label."""
    options = result["data_schema"].schema[field].config["options"]
    return [
        (option, option) if isinstance(option, str) else (option["value"], option["label"])
        for option in options
    ]


def placeholders(result: Mapping[str, Any]) -> dict[str, str]:
    """The values a form's description shows."""
    return dict(result.get("description_placeholders") or {})


def wmbus_meters(entry: MockConfigEntry) -> dict[str, Any]:
    """The installation's wM-Bus meters by subentry id."""
    return {
        subentry_id: subentry
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_WMBUS_METER
    }


def value_of(hass: HomeAssistant, subentry_id: str, field: str) -> str | None:
    """The state of the sensor that shows a meter's field, if there is one."""
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{subentry_id}_{field}")
    state = hass.states.get(entity_id) if entity_id else None
    return state.state if state is not None else None


def discovery_flows(hass: HomeAssistant) -> list[dict[str, Any]]:
    """The meters offered on the integrations page ("Discovered")."""
    return [
        dict(flow)
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_INTEGRATION_DISCOVERY
    ]


async def endpoint_url(hass: HomeAssistant, hass_client_no_auth: ClientFactory) -> str:
    """The installation's endpoint, served by Home Assistant on a loopback port."""
    client = await hass_client_no_auth()
    return str(client.make_url(f"/api/webhook/{WEBHOOK_ID}"))


async def start_meter_flow(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Click "Add wM-Bus meter" on the installation."""
    return dict(
        await hass.config_entries.subentries.async_init(
            (entry.entry_id, SUBENTRY_WMBUS_METER), context={"source": SOURCE_USER}
        )
    )


async def configure_meter_flow(
    hass: HomeAssistant, result: Mapping[str, Any], user_input: dict[str, Any]
) -> dict[str, Any]:
    """Submit a step of the subentry flow."""
    return dict(await hass.config_entries.subentries.async_configure(result["flow_id"], user_input))


async def meter_form(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """The meter form, where no meter was heard lately."""
    result = await start_meter_flow(hass, entry)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "meter"
    return result


# The subentry flow


async def test_no_wmbus_bus_no_meter(hass: HomeAssistant) -> None:
    """An installation without wireless M-Bus says so instead of asking for a meter."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Flat 12",
        data={"modbus": {"transport": "tcp", "network": {"host": "127.0.0.1", "port": 502}}},
    )
    entry.add_to_hass(hass)

    result = await start_meter_flow(hass, entry)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wmbus_not_configured"


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        (meter_input(meter_id="7634879"), {"meter_id": "invalid_meter_id"}),
        (meter_input(meter_id="7634879A"), {"meter_id": "invalid_meter_id"}),
        (meter_input(key=MULTICAL21_KEY[:31]), {"key": "invalid_key_format"}),
        (meter_input(key="G" * 32), {"key": "invalid_key_format"}),
        (meter_input(meter_id=NEIGHBOUR.meter_id), {"meter_id": "meter_id_in_use"}),
        (
            meter_input(driver="qualcosonic", key="", role="radiator"),
            {"role": "role_not_for_meter"},
        ),
        (meter_input(driver="other", other_driver="my driver"), {"other_driver": "invalid_driver"}),
        (meter_input(driver="other"), {"other_driver": "invalid_driver"}),
    ],
    ids=[
        "seven_digits",
        "letter",
        "key_31_chars",
        "key_not_hex",
        "id_in_use",
        "heat_radiator",
        "driver_typed_wrong",
        "other_driver_not_typed",
    ],
)
async def test_meter_form_errors(
    hass: HomeAssistant, user_input: dict[str, str], errors: dict[str, str]
) -> None:
    """Each wrong field is named; the form keeps what was typed, to be corrected."""
    entry = wmbus_entry([claimed(NEIGHBOUR, "cold_water")])
    entry.add_to_hass(hass)
    result = await meter_form(hass, entry)

    result = await configure_meter_flow(hass, result, user_input)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "meter"
    assert result["errors"] == errors
    assert form_values(result) == user_input
    result = await configure_meter_flow(hass, result, meter_input())
    assert result["step_id"] == "wmbus_config"
    assert wmbus_meters(entry).keys() == {f"meter_{NEIGHBOUR.meter_id}"}


async def test_meter_added_with_its_wmbusmeters_lines(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """The meter is saved with its key in upper case, after its wmbusmeters lines are shown."""
    entry = wmbus_entry([])
    assert await setup_integration(hass, entry)
    result = await meter_form(hass, entry)
    assert form_values(result) == {
        "meter_id": "",
        "driver": "auto",
        "other_driver": "",
        "key": "",
        "role": "cold_water",
    }

    result = await configure_meter_flow(
        hass, result, meter_input(meter_id=" 76348799 ", key=MULTICAL21_KEY_TYPED)
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "wmbus_config"
    lines = placeholders(result)["config"].splitlines()
    assert "id=76348799" in lines
    assert f"key={MULTICAL21_KEY}" in lines
    assert "driver=multical21" in lines
    shell = next(line for line in lines if line.startswith("shell="))
    # The token is read from its file: it is never on curl's command line.
    assert TOKEN not in shell
    assert f"-H '@{TOKEN_FILE}'" in shell
    assert shell.endswith(f"/api/webhook/{WEBHOOK_ID}'")
    token_file_line = lines.index(f"# {TOKEN_FILE}")
    assert lines[token_file_line + 1] == f"Authorization: Bearer {TOKEN}"
    assert placeholders(result)["token_file"] == TOKEN_FILE

    result = await configure_meter_flow(hass, result, {})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Cold water · wM-Bus 76348799"
    assert result["unique_id"] == "76348799"
    expected = {
        "meter_id": "76348799",
        "driver": "multical21",
        "key": MULTICAL21_KEY,
        "role": "cold_water",
        "fields": [],
    }
    assert result["data"] == expected
    (subentry,) = wmbus_meters(entry).values()
    assert (subentry.title, subentry.unique_id, dict(subentry.data)) == (
        "Cold water · wM-Bus 76348799",
        "76348799",
        expected,
    )
    # The installation reloaded with the meter.
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.buses.get("wmbus") is not None
    assert MULTICAL21.meter_id in entry.runtime_data.buses["wmbus"].meters


def save_pasted_config(text: str, root: Path) -> None:
    """Save each part of the shown text as the file its `# /<path>` line names."""
    path: Path | None = None
    for line in text.splitlines():
        if line.startswith("# /"):
            path = Path(line.removeprefix("# "))
            if not path.is_relative_to(root):
                path = root / line.removeprefix("# /")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("", encoding="utf-8")
            path.chmod(0o600)  # as the text asks of the token file
        elif path is not None:
            with path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")


async def test_shown_lines_make_wmbusmeters_post_to_the_installation(
    hass: HomeAssistant,
    hass_client_no_auth: ClientFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pasted into wmbusmeters as shown, the lines bring the meter's values.

    The token file is in the test's folder instead of /etc, which the test cannot write.
    """
    monkeypatch.setattr(
        "custom_components.benext.wmbus.flow.TOKEN_FILE",
        str(tmp_path / "etc" / "wmbusmeters.benext-token"),
    )
    entry = wmbus_entry([])
    assert await setup_integration(hass, entry)
    client = await hass_client_no_auth()
    # Home Assistant's address on the home network, as the user set it.
    await hass.config.async_update(internal_url=str(client.make_url("/")))
    result = await meter_form(hass, entry)
    result = await configure_meter_flow(hass, result, meter_input(key=MULTICAL21_KEY_TYPED))
    save_pasted_config(placeholders(result)["config"], tmp_path)
    result = await configure_meter_flow(hass, result, {})
    await hass.async_block_till_done()
    (subentry_id,) = wmbus_meters(entry)

    # No radio here: the telegram comes on stdin instead of the configured auto:t1.
    process = await asyncio.create_subprocess_exec(
        WMBUSMETERS,
        f"--useconfig={tmp_path}",
        "--overridedevice=stdin:hex",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(
        process.communicate(MULTICAL21.telegram_hex.encode() + b"\n"), 20
    )
    await hass.async_block_till_done()

    assert process.returncode == 0, stderr.decode()
    # curl prints the endpoint's answer.
    assert "accepted: 1" in stdout.decode()
    assert value_of(hass, subentry_id, "total_m3") == "6.408"


async def test_managed_wmbusmeters_needs_no_lines(hass: HomeAssistant) -> None:
    """Where the integration runs wmbusmeters itself, the meter is saved at once."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Flat 12",
        data={"wmbus": {"transport": "managed", "radio": "auto:t1"}},
    )
    entry.add_to_hass(hass)
    result = await meter_form(hass, entry)

    result = await configure_meter_flow(hass, result, meter_input())

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Cold water · wM-Bus 76348799"
    assert result["data"]["key"] == MULTICAL21_KEY


async def test_meters_heard_lately(hass: HomeAssistant, hass_client_no_auth: ClientFactory) -> None:
    """Meters heard but not yet added are listed first; choosing one fills in the form."""
    entry = wmbus_entry([claimed(NEIGHBOUR, "cold_water")])
    assert await setup_integration(hass, entry)
    url = await endpoint_url(hass, hass_client_no_auth)
    await async_post_with_wmbusmeters(url, [MULTICAL21, QUALCOSONIC, NEIGHBOUR])
    await hass.async_block_till_done()

    result = await start_meter_flow(hass, entry)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    # Without a radio wmbusmeters knows no signal strength.
    assert select_options(result, "heard") == [
        ("76348799", "76348799 · Kamstrup Multical 21"),
        ("03016408", "03016408 · Axioma Qalcosonic E3/E4"),
        ("other", "other"),
    ]
    other = await configure_meter_flow(hass, result, {"heard": "other"})
    assert other["step_id"] == "meter"
    assert form_values(other) == meter_input(meter_id="", driver="auto", key="")
    hass.config_entries.subentries.async_abort(other["flow_id"])

    result = await start_meter_flow(hass, entry)
    result = await configure_meter_flow(hass, result, {"heard": "03016408"})
    assert result["step_id"] == "meter"
    assert form_values(result) == meter_input(
        meter_id="03016408", driver="qualcosonic", key="", role="space_heating"
    )
    result = await configure_meter_flow(hass, result, form_values(result))
    assert result["step_id"] == "wmbus_config"
    result = await configure_meter_flow(hass, result, {})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Space heating · wM-Bus 03016408"
    # The meter added by hand is no longer offered as discovered; the other one still is.
    assert [flow["context"]["unique_id"] for flow in discovery_flows(hass)] == ["wmbus_76348799"]


async def test_reconfigure_key_and_role(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """A new key and role are saved; what the meter sends stays known; the meter is renamed."""
    entry = wmbus_entry(
        [
            Meter("meter_76348799", "76348799", "multical21", None, "cold_water"),
            claimed(QUALCOSONIC, "space_heating"),
        ]
    )
    assert await setup_integration(hass, entry)
    await async_post_with_wmbusmeters(await endpoint_url(hass, hass_client_no_auth), [MULTICAL21])
    await hass.async_block_till_done()
    heard = dict(entry.subentries["meter_76348799"].data)
    assert "total_m3" in heard["fields"]
    hub = entry.runtime_data

    result = dict(await entry.start_subentry_reconfigure_flow(hass, "meter_76348799"))
    assert result["step_id"] == "reconfigure"
    assert form_values(result) == meter_input(key="")
    result = await configure_meter_flow(hass, result, meter_input(meter_id=QUALCOSONIC.meter_id))
    assert result["errors"] == {"meter_id": "meter_id_in_use"}
    result = await configure_meter_flow(
        hass, result, meter_input(key=MULTICAL21_KEY_TYPED, role="hot_tap_water")
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    subentry = entry.subentries["meter_76348799"]
    assert subentry.title == "Hot tap water · wM-Bus 76348799"
    assert dict(subentry.data) == heard | {"key": MULTICAL21_KEY, "role": "hot_tap_water"}
    assert entry.runtime_data is not hub
    assert entry.runtime_data.buses.get("wmbus") is not None
    meter = entry.runtime_data.buses["wmbus"].meters["76348799"]
    assert (meter.settings.role, meter.settings.key) == (Role.HOT_TAP_WATER, MULTICAL21_KEY)
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, "meter_76348799"), entry.entry_id
    )
    assert device is not None
    assert device.name == "Hot tap water · wM-Bus 76348799"


async def test_driver_not_in_the_list(hass: HomeAssistant) -> None:
    """The list shows Automatic, not `auto`; another driver is typed and comes back as typed."""
    entry = wmbus_entry([])
    entry.add_to_hass(hass)
    result = await meter_form(hass, entry)
    driver_key = next(key for key in result["data_schema"].schema if str(key) == "driver")
    config = result["data_schema"].schema[driver_key].config
    assert config["translation_key"] == "wmbus_driver"
    assert not config.get("custom_value")
    assert config["options"][0] == "auto"
    assert config["options"][-1] == "other"

    result = await configure_meter_flow(
        hass, result, meter_input(driver="other", other_driver=" KamHeat ", key="")
    )
    result = await configure_meter_flow(hass, result, {})
    (subentry,) = wmbus_meters(entry).values()
    assert subentry.data["driver"] == "kamheat"

    result = dict(await entry.start_subentry_reconfigure_flow(hass, subentry.subentry_id))
    assert form_values(result) == meter_input(driver="other", other_driver="kamheat", key="")


async def test_reconfigure_to_another_meter(hass: HomeAssistant) -> None:
    """A new id is a new meter: what the old one sent is forgotten; its key can be removed."""
    entry = wmbus_entry([])
    entry.add_to_hass(hass)
    result = await meter_form(hass, entry)
    result = await configure_meter_flow(hass, result, meter_input())
    result = await configure_meter_flow(hass, result, {})
    (subentry,) = wmbus_meters(entry).values()
    hass.config_entries.async_update_subentry(
        entry,
        subentry,
        data={**subentry.data, "fields": ["total_m3"], "detected_driver": "multical21"},
    )

    result = dict(await entry.start_subentry_reconfigure_flow(hass, subentry.subentry_id))
    assert form_values(result)["key"] == MULTICAL21_KEY
    # A field the user cleared is left out of what the UI sends.
    changed = meter_input(meter_id=NEIGHBOUR.meter_id)
    del changed["key"]
    result = await configure_meter_flow(hass, result, changed)

    assert result["reason"] == "reconfigure_successful"
    subentry = entry.subentries[subentry.subentry_id]
    assert subentry.unique_id == NEIGHBOUR.meter_id
    assert dict(subentry.data) == {
        "meter_id": NEIGHBOUR.meter_id,
        "driver": "multical21",
        "key": None,
        "role": "cold_water",
        "fields": [],
    }


# The installation's flow


@pytest.mark.parametrize("token_input", [{}, {"token": ""}, {"token": "  "}])
async def test_wmbus_http_without_token(hass: HomeAssistant, token_input: dict[str, str]) -> None:
    """The endpoint's token is offered, but can be cleared: then none is asked for."""
    result = await choose(hass, await start(hass, "Flat 12"), "wmbus")
    result = await submit(hass, result, {"transport": "http"}, "wmbus_http")
    assert len(form_values(result)["token"]) >= 24
    webhook_id = placeholders(result)["url"].rsplit("/", 1)[-1]

    result = await finish(hass, await submit(hass, result, token_input, BUSES))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {"wmbus": {"transport": "http", "webhook_id": webhook_id}}


async def test_reconfigure_removes_the_token(hass: HomeAssistant) -> None:
    """Reconfiguring shows the endpoint's token; clearing it removes it, the endpoint stays."""
    entry = wmbus_entry([], token=TOKEN)
    entry.add_to_hass(hass)
    result = await choose(hass, await entry.start_reconfigure_flow(hass), "wmbus")
    result = await submit(hass, result, {"transport": "http"}, "wmbus_http")
    assert form_values(result) == {"token": TOKEN}

    result = await finish(hass, await submit(hass, result, {}, BUSES))

    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {"wmbus": {"transport": "http", "webhook_id": WEBHOOK_ID}}


# Discovery


async def test_meter_heard_by_radio_tells_its_signal(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """A telegram a radio received carries its signal strength: the offer tells it."""
    assert await setup_integration(hass, wmbus_entry([]))
    client = await hass_client_no_auth()
    body = {**QUALCOSONIC.expected, "rssi_dbm": -97, "device": "rtlwmbus[00000001]"}
    response = await client.post(
        f"/api/webhook/{WEBHOOK_ID}",
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status == 200
    await hass.async_block_till_done()

    (flow,) = discovery_flows(hass)
    result = await hass.config_entries.flow.async_configure(flow["flow_id"])

    assert result["step_id"] == "wmbus_discovered"
    assert placeholders(result)["rssi"] == "-97"


async def test_meter_heard_is_offered_once_and_added(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """An unknown meter is offered once; confirmed with its role, it becomes a meter."""
    entry = wmbus_entry([])
    assert await setup_integration(hass, entry)
    url = await endpoint_url(hass, hass_client_no_auth)

    await async_post_with_wmbusmeters(url, [QUALCOSONIC])
    await hass.async_block_till_done()
    (flow,) = discovery_flows(hass)
    assert flow["context"]["title_placeholders"] == {"meter_id": "03016408"}
    await async_post_with_wmbusmeters(url, [QUALCOSONIC])
    await hass.async_block_till_done()
    assert [f["flow_id"] for f in discovery_flows(hass)] == [flow["flow_id"]]

    result = await hass.config_entries.flow.async_configure(flow["flow_id"])
    # Posted over HTTP: no signal strength to tell.
    assert result["step_id"] == "wmbus_discovered_posted"
    assert placeholders(result) == {
        "meter_id": "03016408",
        "product": "Axioma Qalcosonic E3/E4",
        "installation": "Flat 12",
    }
    # A heat meter heats the home or the tap water; it is offered as the first.
    assert [value for value, _ in select_options(result, "role")] == [
        "space_heating",
        "hot_tap_water",
    ]
    assert form_values(result) == {"role": "space_heating", "key": ""}
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"role": "hot_tap_water", "key": "not a key"}
    )
    assert result["errors"] == {"key": "invalid_key_format"}
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"role": "space_heating"}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wmbus_meter_added"
    (subentry,) = wmbus_meters(entry).values()
    assert (subentry.title, subentry.unique_id) == ("Space heating · wM-Bus 03016408", "03016408")
    assert dict(subentry.data) == {
        "meter_id": "03016408",
        "driver": "qualcosonic",
        "key": None,
        "role": "space_heating",
        "fields": [],
    }
    # The installation reloaded with the meter: its next telegram shows its values.
    await async_post_with_wmbusmeters(url, [QUALCOSONIC])
    await hass.async_block_till_done()
    assert value_of(hass, subentry.subentry_id, "total_m3") == "398.773"
    assert discovery_flows(hass) == []


async def test_ignored_meter_is_not_offered_again(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """Ignored on the integrations page, a meter stays ignored after a restart, and next door."""
    entry = wmbus_entry([])
    assert await setup_integration(hass, entry)
    url = await endpoint_url(hass, hass_client_no_auth)
    await async_post_with_wmbusmeters(url, [QUALCOSONIC])
    await hass.async_block_till_done()
    (flow,) = discovery_flows(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_IGNORE},
        data={"unique_id": flow["context"]["unique_id"], "title": "wM-Bus meter 03016408"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert discovery_flows(hass) == []

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await async_post_with_wmbusmeters(url, [QUALCOSONIC])
    await hass.async_block_till_done()
    assert discovery_flows(hass) == []

    second_hook = "benext-second-endpoint"
    second = MockConfigEntry(
        domain=DOMAIN,
        title="Flat 14",
        data={"wmbus": {"transport": "http", "webhook_id": second_hook}},
    )
    assert await setup_integration(hass, second)
    await async_post_with_wmbusmeters(
        url.replace(WEBHOOK_ID, second_hook), [QUALCOSONIC], token=None
    )
    await hass.async_block_till_done()
    assert discovery_flows(hass) == []
    # It was heard: it can still be added by hand.
    add_meter = await start_meter_flow(hass, second)
    assert select_options(add_meter, "heard")[0] == (
        "03016408",
        "03016408 · Axioma Qalcosonic E3/E4",
    )


# The wrong-key repair


async def test_wrong_key_repair(
    hass: HomeAssistant, hass_client: ClientFactory, hass_client_no_auth: ClientFactory
) -> None:
    """A key that does not decrypt raises a fixable issue; the fix saves the new key."""
    entry = wmbus_entry(
        [Meter("meter_76348799", "76348799", "multical21", WRONG_KEY, "cold_water")]
    )
    assert await setup_integration(hass, entry)
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})
    endpoint = await hass_client_no_auth()

    answer = await async_post_wrong_key_telegram(endpoint, MULTICAL21, WRONG_KEY)
    await hass.async_block_till_done()

    assert answer.strip() == "wrong_key: 1"
    issue_id = "wmbus_wrong_key_meter_76348799"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    # With HTTP push the text says the key must be changed in the user's wmbusmeters too.
    assert issue.translation_key == "wmbus_wrong_key_http"
    assert issue.translation_placeholders == {
        "meter": "cold_water · wM-Bus 76348799",
        "meter_id": "76348799",
    }
    # Nothing was decoded: the meter has no value to show.
    assert value_of(hass, "meter_76348799", "total_m3") is None

    client = await hass_client()
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    assert response.status == 200
    flow = await response.json()
    assert flow["step_id"] == "key"
    assert flow["description_placeholders"] == {
        "meter": "cold_water · wM-Bus 76348799",
        "meter_id": "76348799",
    }
    fix_url = f"/api/repairs/issues/fix/{flow['flow_id']}"
    response = await client.post(fix_url, json={"key": MULTICAL21_KEY[:30]})
    flow = await response.json()
    assert (flow["type"], flow["errors"]) == ("form", {"key": "invalid_key_format"})
    response = await client.post(fix_url, json={"key": MULTICAL21_KEY_TYPED})
    flow = await response.json()
    await hass.async_block_till_done()

    assert flow["type"] == "create_entry"
    assert entry.subentries["meter_76348799"].data["key"] == MULTICAL21_KEY
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    # The installation reloaded with the key; wmbusmeters, given it too, decrypts.
    assert entry.runtime_data.buses.get("wmbus") is not None
    assert entry.runtime_data.buses["wmbus"].meters["76348799"].settings.key == MULTICAL21_KEY
    await async_post_with_wmbusmeters(
        str(endpoint.make_url(f"/api/webhook/{WEBHOOK_ID}")), [MULTICAL21]
    )
    await hass.async_block_till_done()
    assert value_of(hass, "meter_76348799", "total_m3") == "6.408"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_wrong_key_issue_goes_when_telegrams_decrypt(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """With the key put right in wmbusmeters alone, the next telegram clears the issue."""
    entry = wmbus_entry([claimed(MULTICAL21, "cold_water")])
    assert await setup_integration(hass, entry)
    endpoint = await hass_client_no_auth()
    await async_post_wrong_key_telegram(endpoint, MULTICAL21, WRONG_KEY)
    await hass.async_block_till_done()
    issue_id = "wmbus_wrong_key_meter_76348799"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    await async_post_with_wmbusmeters(
        str(endpoint.make_url(f"/api/webhook/{WEBHOOK_ID}")), [MULTICAL21]
    )
    await hass.async_block_till_done()

    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert value_of(hass, "meter_76348799", "total_m3") == "6.408"


@pytest.mark.parametrize("language", ["en", "nl", "de"])
def test_wrong_key_text_for_http_push_names_the_own_wmbusmeters(language: str) -> None:
    """The HTTP push repair asks for the key in the user's wmbusmeters too, in every language;
    otherwise it is the managed mode's text."""
    folder = Path(__file__).parents[2] / "custom_components" / "benext" / "translations"
    issues = json.loads((folder / f"{language}.json").read_text(encoding="utf-8"))["issues"]
    managed = issues["wmbus_wrong_key"]["fix_flow"]["step"]["key"]["description"]
    http = issues["wmbus_wrong_key_http"]["fix_flow"]["step"]["key"]["description"]
    assert http.startswith(managed)
    assert "wmbusmeters" in http.removeprefix(managed)
    assert "`key=`" in http
    assert issues["wmbus_wrong_key_http"]["title"] == issues["wmbus_wrong_key"]["title"]
