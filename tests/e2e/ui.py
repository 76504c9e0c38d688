"""What the browser test looks for, in one place: texts on the page and how to reach fields.

BeNext's own texts come from `translations/en.json`, by key, so rewording a flow needs no
change here; what the simulated home makes the flows show (its meters' names, models and
serial numbers) and Home Assistant's own texts (frontend 20260930.5, Home Assistant
2026.10) are constants. After a change of a flow's steps or of Home Assistant's frontend,
this module is what to update.

Home Assistant's frontend is built of web components: Playwright's role, text and CSS
locators pierce their open shadow roots. Its text fields carry their label in a slot,
which Playwright's `get_by_label` does not follow; `field()` finds them by that label.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from playwright.sync_api import Locator, Page, expect

REPO = Path(__file__).resolve().parents[2]
TRANSLATIONS = REPO / "custom_components" / "benext" / "translations" / "en.json"
_EN: dict[str, Any] = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))


def benext(path: str) -> str:
    """BeNext's English text at a dotted path of en.json, placeholders left in."""
    node: Any = _EN
    for key in path.split("."):
        node = node[key]
    if not isinstance(node, str):
        raise TypeError(f"{path} is not a text in {TRANSLATIONS.name}")
    return node


def before_placeholder(text: str) -> str:
    """The part of a text up to its first {placeholder}: what is shown whatever fills it."""
    return text.split("{", 1)[0].strip()


# Onboarding and login (Home Assistant's texts).
CREATE_SMART_HOME = "Create my smart home"
CREATE_USER = "Create user"
CREATE_ACCOUNT = "Create account"
HOME_LOCATION = "Home location"
COUNTRY_QUESTION = "We would like to know the country"
COUNTRY_NOW = "United States"
COUNTRY = "Netherlands"
ANALYTICS = "Help us help you"
ALL_SET = "All set!"
NEXT = "Next"
FINISH = "Finish"
LOG_IN = "Log in"
SEARCH = "Search"
USER_NAME = "Installer"
USER_LOGIN = "installer"
USER_PASSWORD = "benext-e2e-password"  # noqa: S105 -- a throwaway user of a throwaway config

# Settings (Home Assistant's texts).
SETTINGS = "Settings"
DEVICES_AND_SERVICES = "Devices & services"
ADD_INTEGRATION = "Add integration"
SEARCH_BRAND = "Search for a brand name"
INTEGRATION = "BeNext"
SUBMIT = "Submit"
CLOSE = "Close"
SKIP_AND_FINISH = "Skip and finish"
NAME_AND_ASSIGN = "Name and assign"
SUCCESS = "Success"
SCAN_LAST_ADDRESS = "8"  # BeNext's meters sit at 2 to 4; a shorter range scans faster
DASHBOARDS = "Dashboards"
ENERGY_DASHBOARD = "Energy"
ELECTRICITY_GRID = "Electricity grid"
ADD_GRID_CONNECTION = "Add grid connection"
GRID_CONNECTION_DIALOG = "Configure grid connection"
SOLAR_PANELS = "Solar panels"
ADD_SOLAR = "Add solar production"
SOLAR_DIALOG = "Configure solar panels"
SAVE = "Save"
REPAIRS_LINK = re.compile(r"^\s*\d+ repairs?\s*$")
REPAIRED = "The issue is repaired!"
WET = "Wet"  # a moisture sensor that is on

# The installation, as the test names it and as the simulated home makes its meters.
INSTALLATION = "Zonnehoek 12"
LOOPBACK = "127.0.0.1"
SMART_METER_MAKER = "Iskraemeco"
SMART_METER_MODEL = "MT382-1000"
SMART_METER_SERIAL = "K8EG004046395507"
SMART_METER = "Smart meter · P1"
KWH_METERS_FOUND = {
    "PV · Modbus 2": "Modbus 2 · Eastron SDM630 · 23041002",
    "Heat pump · Modbus 3": "Modbus 3 · Eastron SDM220/SDM230 · 23041003",
    "Ventilation · Modbus 4": "Modbus 4 · Eastron SDM220/SDM230 · 23041004",
}
PV_METER = "PV · Modbus 2"
WATER_METER_ID = "76348799"
WATER_METER = f"Cold water · wM-Bus {WATER_METER_ID}"
WATER_METER_MAKE = "Kamstrup Multical 21"
WMBUS_ENDPOINT = re.compile(r"^\s*(https?://\S+?(/api/webhook/[0-9a-f]+))\s*$")

# BeNext's texts.
NEW_INSTALLATION = benext("config.step.user.title")
BUSES_STEP = benext("config.step.buses.title")
MENU_P1 = before_placeholder(benext("config.step.buses.menu_options.p1"))
MENU_MODBUS = before_placeholder(benext("config.step.buses.menu_options.modbus"))
MENU_WMBUS = before_placeholder(benext("config.step.buses.menu_options.wmbus"))
MENU_SAVE = benext("config.step.buses.menu_options.finish")
P1_STEP = benext("config.step.p1.title")
P1_NETWORK = benext("selector.p1_transport.options.network")
P1_NETWORK_STEP = benext("config.step.p1_network.title")
SMART_METER_FOUND = benext("config.step.p1_meter.title")
MODBUS_STEP = benext("config.step.modbus.title")
MODBUS_TCP = benext("selector.modbus_transport.options.tcp")
MODBUS_NETWORK_STEP = benext("config.step.modbus_network.title")
WMBUS_STEP = benext("config.step.wmbus.title")
WMBUS_HTTP = benext("selector.wmbus_transport.options.http")
WMBUS_HTTP_STEP = benext("config.step.wmbus_http.title")
ADD_KWH_METER = benext("config_subentries.kwh_meter.initiate_flow.user")
ADD_KWH_METERS = benext("config_subentries.kwh_meter.step.user.title")
SCAN_THE_BUS = benext("config_subentries.kwh_meter.step.user.menu_options.scan")
SCAN_STEP = benext("config_subentries.kwh_meter.step.scan.title")
LAST_ADDRESS = benext("config_subentries.kwh_meter.step.scan.data.last_address")
SCAN_RESULT = benext("config_subentries.kwh_meter.step.scan_result.title")
KWH_METERS_ADDED = benext("config_subentries.kwh_meter.abort.kwh_meters_added")
WMBUS_HEARD = benext("config.step.wmbus_discovered.title")
WMBUS_DISCOVERY = benext("config.flow_title").replace("{meter_id}", WATER_METER_ID)
WMBUS_ANY_DISCOVERY = re.compile(
    re.escape(benext("config.flow_title")).replace(re.escape("{meter_id}"), r"\d{8}")
)
WMBUS_ADDED = benext("config.abort.wmbus_meter_added")
INSTALLATION_VALID = benext("entity.binary_sensor.installation_valid.name")
CONFIGURATION_VERDICT = benext("entity.sensor.validation_configuration.name")
VERDICT_FAILED = benext("entity.sensor.validation_configuration.state.failed")
ROLES_MISSING_ISSUE = benext("issues.role_missing.title")
ENERGY_OFFER_ISSUE = benext("issues.energy_dashboard.title")
# The roles the installation lacks after the test's flows: no heat meters, no room sensor.
MISSING_ROLES = ", ".join(
    benext(f"selector.role.options.{role}")
    for role in ("hot_tap_water", "indoor_climate", "space_heating")
)
POWER_IMPORT = benext("entity.sensor.power_import.name")
ENERGY_IMPORT_T1 = benext("entity.sensor.energy_import_t1.name")
ENERGY_IMPORT_T2 = benext("entity.sensor.energy_import_t2.name")
ENERGY_EXPORT_T1 = benext("entity.sensor.energy_export_t1.name")
ENERGY_EXPORT_T2 = benext("entity.sensor.energy_export_t2.name")
ENERGY_PRODUCTION = benext("entity.sensor.production_energy.name")
POWER_PRODUCTION = benext("entity.sensor.production_power.name")
PRODUCT_STATUS = benext("entity.sensor.product_status.name")
DATA_ARRIVES = benext("entity.sensor.product_status.state.ok")
LEAK = benext("entity.binary_sensor.leak_alarm.name")
ALARM = benext("entity.event.water_alarm.name")
LEAK_STARTED = benext("entity.event.water_alarm.state_attributes.event_type.state.leak_started")
WRONG_KEY_ISSUE = benext("issues.wmbus_wrong_key_http.title").replace("{meter}", WATER_METER)
NEW_KEY_STEP = benext("issues.wmbus_wrong_key_http.fix_flow.step.key.title").replace(
    "{meter}", WATER_METER
)
KEY_FIELD = "key"


def field(page: Page, label: str) -> Locator:
    """The input of a form field by its label (a required field's label ends in '*')."""
    label_slot = page.locator(
        "slot[name=label]", has_text=re.compile(rf"^\s*{re.escape(label)}\*?\s*$")
    )
    return page.locator("wa-input").filter(has=label_slot).locator("input")


def named_input(page: Page, name: str) -> Locator:
    """A form's input by its field's key (text fields carry it as their name)."""
    return page.locator(f"input[name={name}]")


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a drop-down field."""
    page.get_by_label(label).click()
    page.get_by_role("menuitem", name=option).click()


def menu_option(page: Page, label: str) -> None:
    """Choose an option of a menu step (a bus already set up carries a ✓ after its label)."""
    page.get_by_text(re.compile(rf"^\s*{re.escape(label)}(\s*✓)?\s*$")).click()


def button(page: Page, name: str) -> Locator:
    """A button by its text; the dialog's own when a dialog is open (its footer comes last)."""
    return page.get_by_role("button", name=name, exact=True).last


def close_dialog(page: Page, button_name: str, showing: str) -> None:
    """Press the dialog's button and wait until the dialog showing a text has gone."""
    button(page, button_name).click()
    expect(page.get_by_text(showing, exact=True)).to_have_count(0)


def entity_row(page: Page, name: str) -> Locator:
    """The row of an entity on a device page; its text is the state shown."""
    return page.locator("hui-generic-entity-row").filter(has=page.get_by_text(name, exact=True))


def number_shown(text: str | None) -> float:
    """The number in a state as shown ("1,576 W", "9,640.30 kWh")."""
    match = re.search(r"-?[\d,]+(?:\.\d+)?", text or "")
    if match is None:
        raise AssertionError(f"no number in {text!r}")
    return float(match.group().replace(",", ""))
