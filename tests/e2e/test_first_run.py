"""The first run and the installer's flows, in Home Assistant's real frontend.

Headless Chromium drives Home Assistant, started for real with config/configuration.yaml
and this repository's integration, against the simulated home's peers
(scripts/simulated_home). Each step asserts on what the page shows and leaves a
screenshot in build/e2e-screenshots:

1. onboarding: the user, the home's location and country, analytics; then a login;
2. a new installation through Settings, Devices & services, Add integration, BeNext: the
   P1 network reader, the smart meter it finds (detect and confirm), the RS485-Ethernet
   converter (Modbus TCP) and wmbusmeters posting to the installation's endpoint;
3. the kWh meters' subentry flow: Scan the bus, adding the three kWh meters;
4. device pages with live values: the smart meter's power and a kWh meter's energy, as
   the simulated meters measure them;
5. wM-Bus: the simulated home's wmbusmeters posts to the endpoint the flow showed, the
   water meter it hears is offered and added, and its device page shows its leak (its
   clock is set a little ahead, into the minutes of the half hour in which it leaks);
6. the Energy configuration: the smart meter's tariffs as the grid, the PV meter as solar;
7. a repair: a telegram that the wrong key cannot decrypt (the real wmbusmeters decodes a
   real encrypted Multical 21 telegram) raises the wrong-key issue; its fix flow takes the
   right key and the issue is gone;
8. the validation: the offer to add the remaining meters to the Energy dashboard, the repair
   naming the NOM roles no meter fills, and the hub's device page with the installation
   not valid and its configuration failed.

Run only this test: `scripts/test tests/e2e --no-cov`.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from contextlib import contextmanager
import json
from pathlib import Path
import subprocess
import time

from playwright.sync_api import Browser, Locator, Page, expect
import pytest

from simulated_home import endpoints, home_energy, p1
from tests.wmbus_fixtures import WMBUS_FIXTURES

from . import ui
from .conftest import LOGS, new_page
from .home import HomeAssistant, SimulatedHome

# The installer's wmbusmeters had the wrong key for the (real, encrypted) Multical 21
# telegram of wmbusmeters' own tests, whose meter id is the simulated water meter's.
ENCRYPTED = next(f for f in WMBUS_FIXTURES if f.kind == "real_encrypted")
WRONG_KEY = "00" * 16
# Seconds of the half hour at which the simulated water meter's clock starts: the leak
# is in its last 5 minutes, from 25:00 on.
LEAK_FROM_S = 25 * 60 + 10
HALF_HOUR_S = 30 * 60
# Watts and kWh the page may differ from the simulated meter by: the page shows a value
# some seconds old (the smart meter's power) or up to a Modbus poll (30 s) old.
POWER_WINDOW_S = 30
ENERGY_TOLERANCE_KWH = 0.1


# The names of the custom elements on a page, through their shadow roots: written next to
# a failed step's screenshot, to find a selector again after Home Assistant changed.
CUSTOM_ELEMENTS = """() => {
    const names = new Set();
    const walk = (root) => root.querySelectorAll("*").forEach((element) => {
        if (element.tagName.includes("-")) names.add(element.tagName.toLowerCase());
        if (element.shadowRoot) walk(element.shadowRoot);
    });
    walk(document);
    return [...names].sort().join("\\n");
}"""


class Screens:
    """Numbered screenshots of the steps; where a step fails, its page and its elements."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def shot(self, page: Page, name: str) -> None:
        self.count += 1
        page.screenshot(path=self.folder / f"{self.count:02d}-{name}.png")

    @contextmanager
    def step(self, page: Page, name: str) -> Iterator[None]:
        try:
            yield
        except Exception as err:
            with contextlib.suppress(Exception):
                page.screenshot(path=self.folder / f"failed-{name}.png")
                elements: str = page.evaluate(CUSTOM_ELEMENTS)
                (self.folder / f"failed-{name}-elements.txt").write_text(elements, "utf-8")
            err.add_note(
                f"Step {name} failed: see {self.folder}/failed-{name}.png and the processes'"
                f" logs in {LOGS}"
            )
            raise


@pytest.mark.timeout(900)
def test_first_run_and_installer_flows(
    home_assistant: HomeAssistant,
    simulated_home: SimulatedHome,
    browser: Browser,
    screenshots: Path,
    logs: Path,
) -> None:
    """From onboarding to a repaired issue, all through the browser."""
    screens = Screens(screenshots)
    page = new_page(browser)
    with screens.step(page, "onboarding"):
        onboard(page, home_assistant.url, screens)
    page = new_page(browser)
    with screens.step(page, "login"):
        log_in(page, home_assistant.url, screens)
    with screens.step(page, "installation"):
        endpoint, token = add_installation(page, simulated_home, screens)
    with screens.step(page, "scan"):
        scan_the_bus(page, screens)
    with screens.step(page, "live-values"):
        check_live_values(page, screens)
    wmbus = SimulatedHome(
        logs / "simulated-wmbus.log",
        ["wmbus"],
        wmbus_url=f"{home_assistant.url}{endpoint}",
        wmbus_token=token,
        wmbus_clock_offset=(LEAK_FROM_S - time.time() % HALF_HOUR_S) % HALF_HOUR_S,
    )
    try:
        wmbus.start()
        with screens.step(page, "leak"):
            add_water_meter_and_see_leak(page, screens)
    finally:
        wmbus.stop()
    with screens.step(page, "energy"):
        configure_energy(page, screens)
    with screens.step(page, "repair"):
        post_undecryptable_telegram(home_assistant, endpoint, token)
        repair_wrong_key(page, screens)
    with screens.step(page, "validation"):
        see_validation(page, screens)


def onboard(page: Page, url: str, screens: Screens) -> None:
    """Create the user, set the home's country, leave analytics off, finish."""
    page.goto(url)
    page.get_by_role("button", name=ui.CREATE_SMART_HOME).click()
    expect(page.get_by_text(ui.CREATE_USER, exact=True)).to_be_visible()
    ui.named_input(page, "name").fill(ui.USER_NAME)
    ui.named_input(page, "username").fill(ui.USER_LOGIN)
    ui.named_input(page, "password").fill(ui.USER_PASSWORD)
    ui.named_input(page, "password_confirm").fill(ui.USER_PASSWORD)
    screens.shot(page, "onboarding-user")
    page.get_by_role("button", name=ui.CREATE_ACCOUNT).click()
    expect(page.get_by_text(ui.HOME_LOCATION, exact=True)).to_be_visible()
    ui.button(page, ui.NEXT).click()
    expect(page.get_by_text(ui.COUNTRY_QUESTION)).to_be_visible()
    page.get_by_text(ui.COUNTRY_NOW, exact=True).click()
    page.get_by_placeholder(ui.SEARCH).fill(ui.COUNTRY)
    page.get_by_text(ui.COUNTRY, exact=True).click()
    expect(page.get_by_text(ui.COUNTRY, exact=True)).to_be_visible()
    screens.shot(page, "onboarding-country")
    ui.button(page, ui.NEXT).click()
    expect(page.get_by_text(ui.ANALYTICS, exact=True)).to_be_visible()
    ui.button(page, ui.NEXT).click()
    expect(page.get_by_text(ui.ALL_SET, exact=True)).to_be_visible()
    ui.button(page, ui.FINISH).click()
    expect(page.locator("ha-sidebar").get_by_text(ui.USER_NAME, exact=True)).to_be_visible()


def log_in(page: Page, url: str, screens: Screens) -> None:
    """Log in with the new user, in a browser that does not know it yet."""
    page.goto(url)
    ui.named_input(page, "username").fill(ui.USER_LOGIN)
    ui.named_input(page, "password").fill(ui.USER_PASSWORD)
    screens.shot(page, "login")
    ui.button(page, ui.LOG_IN).click()
    expect(page.locator("ha-sidebar").get_by_text(ui.USER_NAME, exact=True)).to_be_visible()


def open_devices_and_services(page: Page) -> None:
    page.locator("ha-sidebar").get_by_text(ui.SETTINGS, exact=True).click()
    page.get_by_text(ui.DEVICES_AND_SERVICES, exact=True).click()


def open_integration(page: Page) -> None:
    """Settings, Devices & services, BeNext."""
    open_devices_and_services(page)
    page.locator("ha-integration-card").filter(has_text=ui.INTEGRATION).click()


def add_installation(page: Page, home: SimulatedHome, screens: Screens) -> tuple[str, str]:
    """The installation with its P1, RS485 and wM-Bus buses; the endpoint path and token."""
    open_devices_and_services(page)
    page.get_by_role("button", name=ui.ADD_INTEGRATION).click()
    page.get_by_placeholder(ui.SEARCH_BRAND).fill(ui.INTEGRATION)
    page.get_by_text(ui.INTEGRATION, exact=True).click()
    expect(page.get_by_text(ui.NEW_INSTALLATION, exact=True)).to_be_visible()
    ui.named_input(page, "name").fill(ui.INSTALLATION)
    ui.button(page, ui.SUBMIT).click()

    # The buses are chosen from a menu that each bus's steps return to.
    expect(page.get_by_text(ui.BUSES_STEP, exact=True)).to_be_visible()
    screens.shot(page, "buses-menu")
    set_up_network_bus(
        page, ui.MENU_P1, (ui.P1_STEP, ui.P1_NETWORK, ui.P1_NETWORK_STEP), home.p1_port
    )
    screens.shot(page, "p1-network-reader")
    ui.button(page, ui.SUBMIT).click()
    # The flow listens for the meter's first telegram and tells what it is.
    expect(page.get_by_text(ui.SMART_METER_FOUND, exact=True)).to_be_visible()
    description = page.get_by_text(ui.SMART_METER_SERIAL)
    expect(description).to_contain_text(f"Maker: {ui.SMART_METER_MAKER}")
    expect(description).to_contain_text(f"model: {ui.SMART_METER_MODEL}")
    expect(description).to_contain_text("DSMR variant as read: 5")
    screens.shot(page, "smart-meter-found")
    ui.button(page, ui.SUBMIT).click()

    expect(page.get_by_text(ui.BUSES_STEP, exact=True)).to_be_visible()
    set_up_network_bus(
        page,
        ui.MENU_MODBUS,
        (ui.MODBUS_STEP, ui.MODBUS_TCP, ui.MODBUS_NETWORK_STEP),
        home.modbus_port,
    )
    screens.shot(page, "rs485-converter")
    ui.button(page, ui.SUBMIT).click()

    expect(page.get_by_text(ui.BUSES_STEP, exact=True)).to_be_visible()
    ui.menu_option(page, ui.MENU_WMBUS)
    expect(page.get_by_text(ui.WMBUS_STEP, exact=True)).to_be_visible()
    ui.choose(page, "Connection", ui.WMBUS_HTTP)
    ui.button(page, ui.SUBMIT).click()
    expect(page.get_by_text(ui.WMBUS_HTTP_STEP, exact=True)).to_be_visible()
    shown = page.get_by_text(ui.WMBUS_ENDPOINT)
    expect(shown).to_be_visible()
    match = ui.WMBUS_ENDPOINT.match(shown.text_content() or "")
    assert match is not None
    token = ui.named_input(page, "token").input_value()
    assert len(token) >= 20, "a new endpoint gets a token"
    screens.shot(page, "wmbus-endpoint")
    ui.button(page, ui.SUBMIT).click()

    # Every bus set up (✓): save the installation.
    expect(page.get_by_text(ui.BUSES_STEP, exact=True)).to_be_visible()
    screens.shot(page, "buses-set-up")
    ui.menu_option(page, ui.MENU_SAVE)

    # Created: the devices it brings are offered to name and place.
    expect(page.get_by_text(ui.SMART_METER_MODEL, exact=True)).to_be_visible()
    ui.close_dialog(page, ui.SKIP_AND_FINISH, ui.NAME_AND_ASSIGN)
    return match.group(2), token


def set_up_network_bus(page: Page, bus: str, steps: tuple[str, str, str], port: int) -> None:
    """From the buses menu: the bus, its network transport, and the simulated peer's port.

    `steps` are the transport step's title, the network transport's label and the network
    step's title.
    """
    transport_step, network, network_step = steps
    ui.menu_option(page, bus)
    expect(page.get_by_text(transport_step, exact=True)).to_be_visible()
    ui.choose(page, "Connection", network)
    ui.button(page, ui.SUBMIT).click()
    expect(page.get_by_text(network_step, exact=True)).to_be_visible()
    ui.field(page, "Host").fill(ui.LOOPBACK)
    ui.field(page, "Port").fill(str(port))


def scan_the_bus(page: Page, screens: Screens) -> None:
    """Add kWh meters, Scan the bus: the three meters of the simulated home, in one go."""
    open_integration(page)
    expect(page.get_by_text(ui.INSTALLATION, exact=True).first).to_be_visible()
    page.get_by_role("button", name=ui.ADD_KWH_METER).click()
    expect(page.get_by_text(ui.ADD_KWH_METERS, exact=True)).to_be_visible()
    page.get_by_text(ui.SCAN_THE_BUS, exact=True).click()
    expect(page.get_by_text(ui.SCAN_STEP, exact=True)).to_be_visible()
    ui.field(page, ui.LAST_ADDRESS).fill(ui.SCAN_LAST_ADDRESS)
    ui.button(page, ui.SUBMIT).click()
    expect(page.get_by_text(ui.SCAN_RESULT, exact=True)).to_be_visible()
    expect(page.get_by_text("3 kWh meters answered")).to_be_visible()
    for label in ui.KWH_METERS_FOUND.values():
        expect(page.get_by_text(label, exact=True)).to_be_visible()
    screens.shot(page, "scan-result")
    ui.button(page, ui.SUBMIT).click()
    # The flow ends naming every meter it added.
    said = ui.KWH_METERS_ADDED.replace("{count}", "3").replace(
        "{meters}", ", ".join(ui.KWH_METERS_FOUND)
    )
    expect(page.get_by_text(said, exact=True)).to_be_visible()
    screens.shot(page, "kwh-meters-added")
    ui.close_dialog(page, ui.CLOSE, said)
    for title in [ui.SMART_METER, *ui.KWH_METERS_FOUND]:
        expect(device_row(page, title)).to_be_visible()
    screens.shot(page, "integration")


def device_row(page: Page, name: str) -> Locator:
    """A device's row on the integration's page."""
    return page.locator("ha-config-entry-device-row").filter(has=page.get_by_text(name, exact=True))


def open_device(page: Page, name: str) -> None:
    """The device's page, from the integration's page."""
    device_row(page, name).get_by_text(name, exact=True).click()
    expect(page.get_by_text("Device info", exact=True)).to_be_visible()


def check_live_values(page: Page, screens: Screens) -> None:
    """The smart meter's power and the PV meter's energy, as the simulated meters measure them."""
    open_device(page, ui.SMART_METER)
    expect(page.get_by_text(ui.SMART_METER_SERIAL)).to_be_visible()
    power = ui.entity_row(page, ui.POWER_IMPORT)
    expect(power).to_contain_text(" W")
    # Read again while it lags behind the meter (a loaded machine), for a while.
    deadline = time.monotonic() + POWER_WINDOW_S
    while True:
        shown = ui.number_shown(power.text_content())
        now = time.time()
        sent = {max(p1.reading_at(now - s).net_w, 0) for s in range(POWER_WINDOW_S + 1)}
        if shown in sent or time.monotonic() > deadline:
            break
        page.wait_for_timeout(1000)
    assert shown in sent, f"{ui.POWER_IMPORT} shows {shown} W; the meter sent {sorted(sent)}"
    expect(ui.entity_row(page, ui.PRODUCT_STATUS)).to_contain_text(ui.DATA_ARRIVES)
    screens.shot(page, "smart-meter-device")

    page.go_back()
    open_device(page, ui.PV_METER)
    energy = ui.entity_row(page, ui.ENERGY_PRODUCTION)
    expect(energy).to_contain_text(" kWh")
    _, exported_kwh = home_energy.energy_kwh("pv", time.time())
    shown = ui.number_shown(energy.text_content())
    assert abs(shown - exported_kwh) < ENERGY_TOLERANCE_KWH, (
        f"{ui.ENERGY_PRODUCTION} shows {shown} kWh; the meter counts {exported_kwh:.2f}"
    )
    expect(ui.entity_row(page, ui.POWER_PRODUCTION)).to_contain_text(" W")
    screens.shot(page, "pv-meter-device")


def add_water_meter_and_see_leak(page: Page, screens: Screens) -> None:
    """The water meter wmbusmeters posts about is offered, added, and shows its leak."""
    open_devices_and_services(page)
    discovered = page.locator("ha-config-flow-card").filter(has_text=ui.WMBUS_DISCOVERY)
    expect(discovered).to_be_visible(timeout=90_000)
    # Every meter the simulated home has is offered; clicked while the cards still come in,
    # a card moves under the pointer.
    every_meter = page.locator("ha-config-flow-card").filter(has_text=ui.WMBUS_ANY_DISCOVERY)
    expect(every_meter).to_have_count(len(endpoints.WMBUS_METERS), timeout=90_000)
    screens.shot(page, "wmbus-discovered")
    discovered.get_by_role("button", name="Add").click()
    expect(page.get_by_text(ui.WMBUS_HEARD, exact=True)).to_be_visible()
    offer = page.get_by_text(ui.WATER_METER_MAKE)
    expect(offer).to_be_visible()
    expect(offer).to_contain_text(ui.WATER_METER_ID)
    screens.shot(page, "wmbus-meter-heard")
    ui.button(page, ui.SUBMIT).click()
    expect(page.get_by_text(ui.WMBUS_ADDED, exact=True)).to_be_visible()
    ui.close_dialog(page, ui.CLOSE, ui.WMBUS_ADDED)

    open_integration(page)
    open_device(page, ui.WATER_METER)
    # The meter sends every 16 s; its clock is in the minutes in which it leaks.
    expect(ui.entity_row(page, ui.LEAK)).to_contain_text(ui.WET, timeout=90_000)
    expect(page.get_by_text(ui.LEAK_STARTED).first).to_be_visible()
    screens.shot(page, "water-meter-leak")


def pick_statistic(page: Page, index: int, query: str, name: str) -> None:
    """Choose a statistic in the dialog's index-th picker, by searching for it."""
    picker = page.locator("ha-statistic-picker").nth(index)
    picker.click()
    page.get_by_placeholder(ui.SEARCH).last.fill(query)
    page.get_by_text(name, exact=True).last.click()
    expect(picker.get_by_text(name, exact=True)).to_be_visible()


def configure_energy(page: Page, screens: Screens) -> None:
    """Settings, Dashboards, Energy: the smart meter's tariffs as grid, the PV meter as solar."""
    page.locator("ha-sidebar").get_by_text(ui.SETTINGS, exact=True).click()
    page.get_by_text(ui.DASHBOARDS, exact=True).first.click()
    page.get_by_role("row").filter(has_text=ui.ENERGY_DASHBOARD).click()
    expect(page.get_by_text(ui.ELECTRICITY_GRID, exact=True)).to_be_visible()
    for imported, exported in (
        (ui.ENERGY_IMPORT_T1, ui.ENERGY_EXPORT_T1),
        (ui.ENERGY_IMPORT_T2, ui.ENERGY_EXPORT_T2),
    ):
        page.get_by_role("button", name=ui.ADD_GRID_CONNECTION).click()
        pick_statistic(page, 0, imported, imported)
        pick_statistic(page, 1, exported, exported)
        screens.shot(page, "energy-grid-connection")
        ui.close_dialog(page, ui.SAVE, ui.GRID_CONNECTION_DIALOG)
        expect(page.get_by_text(f"{ui.SMART_METER} {imported}", exact=True)).to_be_visible()
    screens.shot(page, "energy-grid")
    ui.button(page, ui.NEXT).click()
    expect(page.get_by_text(ui.SOLAR_PANELS, exact=True)).to_be_visible()
    page.get_by_role("button", name=ui.ADD_SOLAR).click()
    pick_statistic(page, 0, ui.ENERGY_PRODUCTION, ui.ENERGY_PRODUCTION)
    pick_statistic(page, 1, ui.POWER_PRODUCTION, ui.POWER_PRODUCTION)
    ui.close_dialog(page, ui.SAVE, ui.SOLAR_DIALOG)
    expect(page.get_by_text(f"{ui.PV_METER} {ui.ENERGY_PRODUCTION}", exact=True)).to_be_visible()
    screens.shot(page, "energy-solar")


def post_undecryptable_telegram(hass: HomeAssistant, endpoint: str, token: str) -> None:
    """What the installer's wmbusmeters posts when its key does not decrypt a telegram."""
    decode = json.dumps({"_": "decode", "telegram": ENCRYPTED.telegram_hex, "key": WRONG_KEY})
    decoded = subprocess.run(
        ["wmbusmeters", "--format=json", "stdin:jsonl"],  # noqa: S607 -- the installed one
        input=decode.encode() + b"\n",
        capture_output=True,
        check=True,
        timeout=30,
    )
    assert b"decryption failed" in decoded.stdout, decoded.stdout
    status, answer = hass.post(
        endpoint,
        decoded.stdout,
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert (status, answer.strip()) == (200, "wrong_key: 1")


def repair_wrong_key(page: Page, screens: Screens) -> None:
    """Settings, Repairs: the wrong-key issue, its fix flow with the right key, gone."""
    page.locator("ha-sidebar").get_by_text(ui.SETTINGS, exact=True).click()
    page.get_by_role("link", name=ui.REPAIRS_LINK).click()
    issue = page.get_by_text(ui.WRONG_KEY_ISSUE, exact=True)
    expect(issue).to_be_visible()
    screens.shot(page, "repairs")
    issue.click()
    expect(page.get_by_text(ui.NEW_KEY_STEP, exact=True)).to_be_visible()
    assert ENCRYPTED.key is not None
    ui.named_input(page, ui.KEY_FIELD).fill(ENCRYPTED.key)
    screens.shot(page, "repair-fix-flow")
    ui.button(page, ui.SUBMIT).click()
    expect(page.get_by_text(ui.REPAIRED, exact=True)).to_be_visible()
    ui.close_dialog(page, ui.FINISH, ui.REPAIRED)
    expect(page.get_by_text(ui.WRONG_KEY_ISSUE, exact=True)).to_have_count(0)
    screens.shot(page, "repaired")


def see_validation(page: Page, screens: Screens) -> None:
    """The repair of the roles no meter fills; the hub's verdict on its device page."""
    # The offer to add the water meter and the devices to the Energy dashboard (grid and
    # solar were configured by hand) joins the list: once it is there, the list stands still.
    expect(page.get_by_text(ui.ENERGY_OFFER_ISSUE, exact=True)).to_be_visible()
    issue = page.get_by_text(ui.ROLES_MISSING_ISSUE, exact=True)
    expect(issue).to_be_visible()
    issue.click()
    expect(page.get_by_text(ui.MISSING_ROLES)).to_be_visible()
    screens.shot(page, "roles-missing")
    page.keyboard.press("Escape")
    expect(page.get_by_text(ui.MISSING_ROLES)).to_have_count(0)
    open_integration(page)
    open_device(page, ui.INSTALLATION)
    expect(ui.entity_row(page, ui.INSTALLATION_VALID)).to_be_visible()
    expect(ui.entity_row(page, ui.CONFIGURATION_VERDICT)).to_contain_text(ui.VERDICT_FAILED)
    screens.shot(page, "validation-on-the-hub")
