"""The managed mode: the installation runs the real wmbusmeters itself and reads its JSON."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
import stat
import time

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import DOMAIN
from tests import setup_integration
from tests.wmbus_fixtures import WMBUS_FIXTURES, WmbusFixture
from tests.wmbus_helpers import meter_of, state_of
from tests.wmbus_peers import wmbus_entry

pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")

ENCRYPTED_WATER = WMBUS_FIXTURES[0]  # the real Multical 21 telegram, AES-encrypted
HEAT = WMBUS_FIXTURES[8]  # Axioma Qalcosonic E4
ROOM = WMBUS_FIXTURES[10]  # Elvaco CMa12w


def simulation(directory: Path, fixtures: list[WmbusFixture]) -> Path:
    """A wmbusmeters simulation file: the radio the tests cannot have."""
    path = directory / "simulation_home.txt"
    path.write_text("".join(f"telegram=|{f.telegram_hex}|\n" for f in fixtures))
    return path


def managed_entry(radio: Path, fixtures: list[WmbusFixture]) -> MockConfigEntry:
    """An installation whose own wmbusmeters listens with `radio`."""
    return wmbus_entry(
        [meter_of(fixture) for fixture in fixtures],
        bus={"transport": "managed", "radio": str(radio)},
    )


async def wait_for_state(hass: HomeAssistant, fixture: WmbusFixture, field: str) -> str:
    """The state of a meter's sensor once wmbusmeters delivered it (real time, 10 s at most)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = state_of(hass, "sensor", fixture.meter_id, field)
        if state is not None and state.state not in ("unknown", "unavailable"):
            return state.state
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {field} from meter {fixture.meter_id}")


async def test_managed_wmbusmeters_decodes_for_the_installation(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    """Its own wmbusmeters, with the meters' keys in private files, feeds the entities."""
    hass.config.config_dir = str(tmp_path)
    fixtures = [ENCRYPTED_WATER, HEAT, ROOM]
    entry = managed_entry(simulation(tmp_path, fixtures), fixtures)
    assert await setup_integration(hass, entry)

    assert await wait_for_state(hass, ENCRYPTED_WATER, "total_m3") == "6.408"
    assert await wait_for_state(hass, ROOM, "current_temperature_c") == "23.34"
    assert await wait_for_state(hass, HEAT, "status") == "ok"

    config = tmp_path / ".storage" / DOMAIN / entry.entry_id
    # The folder of the installations' keys, and each one's own: owner only.
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(config.stat().st_mode) == 0o700
    meter_files = list((config / "etc" / "wmbusmeters.d").iterdir())
    assert len(meter_files) == 3
    assert all(f.stat().st_mode & 0o077 == 0 for f in meter_files)
    assert ENCRYPTED_WATER.key in "".join(f.read_text() for f in meter_files)

    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_wrong_key_raises_a_repair_issue(hass: HomeAssistant, tmp_path: Path) -> None:
    """wmbusmeters only logs a key that fails: the installation raises the issue from it."""
    hass.config.config_dir = str(tmp_path)
    wrong = replace(ENCRYPTED_WATER, key="00" * 16)
    entry = managed_entry(simulation(tmp_path, [wrong, ROOM]), [wrong, ROOM])
    assert await setup_integration(hass, entry)
    assert await wait_for_state(hass, ROOM, "current_temperature_c") == "23.34"

    issue_id = f"wmbus_wrong_key_meter_{wrong.meter_id}"
    deadline = time.monotonic() + 10
    while ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None:
        assert time.monotonic() < deadline, "no wrong-key issue"
        await asyncio.sleep(0.05)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    # Home Assistant runs this wmbusmeters: the key is changed in one place.
    assert issue.translation_key == "wmbus_wrong_key"
    assert issue.translation_placeholders == {
        "meter": f"cold_water · wM-Bus {wrong.meter_id}",
        "meter_id": wrong.meter_id,
    }
    assert state_of(hass, "sensor", wrong.meter_id, "total_m3") is None
    assert await hass.config_entries.async_unload(entry.entry_id)
