"""Fixtures of the browser test: real processes and a real browser, no in-process Home Assistant.

The test runs in the same pytest session as the rest, under
pytest-homeassistant-custom-component. Its autouse fixtures stay (they check that the test
leaves no task, timer or thread behind), but this folder opts out of the one that sets up an
in-process Home Assistant for every test, and the test enables sockets, which it needs for
its own loopback peers.
"""

from __future__ import annotations

from collections.abc import Iterator
import os
from pathlib import Path
import shutil

from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright
import pytest

from .home import REPO, HomeAssistant, SimulatedHome

# Debian's chromium in the development root (scripts/lib/toolchain.sh); no browser is
# ever downloaded for the test.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--no-zygote",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = ViewportSize(width=1280, height=800)
SCREENSHOTS = REPO / "build" / "e2e-screenshots"
LOGS = REPO / "build" / "e2e-logs"
# Milliseconds Playwright waits for an element or an expectation by default: generous, for
# a loaded 2-core machine running the rest of the tests at the same time.
TIMEOUT_MS = 60_000


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No in-process Home Assistant here: the test runs the real one as a process."""


@pytest.fixture
def chromium() -> Path:
    """The browser; without it the test is skipped, except in CI, where that fails."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: the browser test runs in the development root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
def screenshots() -> Path:
    """build/e2e-screenshots, emptied."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture
def logs() -> Path:
    """build/e2e-logs, emptied: the output of every process the test starts."""
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    return LOGS


@pytest.fixture
def simulated_home(socket_enabled: None, logs: Path) -> Iterator[SimulatedHome]:
    """The P1 network reader and the RS485-Ethernet converter of the simulated home."""
    home = SimulatedHome(logs / "simulated-home.log", ["p1", "modbus"])
    try:
        home.start()
        yield home
    finally:
        home.stop()


@pytest.fixture
def home_assistant(
    socket_enabled: None, simulated_home: SimulatedHome, logs: Path, tmp_path: Path
) -> Iterator[HomeAssistant]:
    """Home Assistant, new, with config/configuration.yaml, waiting for its onboarding."""
    hass = HomeAssistant(tmp_path / "config", logs / "home-assistant.log")
    try:
        hass.start()
        yield hass
    finally:
        hass.stop()


@pytest.fixture
def browser(chromium: Path) -> Iterator[Browser]:
    """Headless Chromium driven by Playwright."""
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Browser) -> Page:
    """A page in a fresh browser profile (no login), 1280x800, in English."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()
