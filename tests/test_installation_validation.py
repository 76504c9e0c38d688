"""The periodic validation as the installer sees it: the hub's entities and the repair issues."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests import setup_integration
from tests.existing_helpers import ROOM_SENSOR, existing_entity_subentry
from tests.peers import ModbusTcpPeer, P1TelegramServer
from tests.test_validate_service import benext_home
from tests.validation_helpers import (
    run_for,
    state,
    until_validated,
    validate,
    validation_issues,
)

# A winter's morning; the home's clock is frozen there and moved on by the tests.
SET_UP = datetime(2026, 1, 12, 9, 0, tzinfo=dt_util.UTC)

VALID = "binary_sensor.demo_home_installation_valid"
DATE = "sensor.demo_home_validation_date"
START = "sensor.demo_home_validation_start"
REACHABILITY = "sensor.demo_home_reachability"
FORWARDED = "sensor.demo_home_values_forwarded"
CONFIGURATION = "sensor.demo_home_configuration"
CORRECTNESS = "sensor.demo_home_data_correctness"
COMMON_FAULTS = "sensor.demo_home_common_faults"
RESET = "button.demo_home_reset_validation_start"


ROOM = "Living room temperature · Indoor climate"
STORE = "benext.validation.{}"


def room_sensor_unavailable(hass: HomeAssistant) -> None:
    """The Zigbee room sensor's battery is dead."""
    hass.states.async_set(ROOM_SENSOR, "unavailable", {"device_class": "temperature"})


def home_with_room_sensor(
    p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> MockConfigEntry:
    """BeNext's home whose living room sensor is another integration's."""
    return benext_home(
        p1_server, modbus_server, existing_entity_subentry(ROOM_SENSOR, "indoor_climate", ROOM)
    )


def shown(moment: datetime) -> str:
    """A moment as a timestamp sensor shows it."""
    return moment.astimezone(dt_util.UTC).isoformat(timespec="seconds")


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the installation up and let its first validation run."""
    assert await setup_integration(hass, entry)
    await until_validated(hass, VALID)


async def test_a_fresh_installation(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """Every meter answers, three roles lack a meter, nothing is counted yet."""
    freezer.move_to(SET_UP)
    entry = benext_home(p1_server, modbus_server)

    await set_up(hass, entry)

    assert state(hass, VALID) == "off"
    assert state(hass, CONFIGURATION) == "failed"
    assert state(hass, REACHABILITY) == "passed"
    assert state(hass, FORWARDED) == "passed"
    assert state(hass, CORRECTNESS) == "pending"
    assert state(hass, COMMON_FAULTS) == "passed"
    assert state(hass, DATE) == "unknown"
    assert state(hass, START) == shown(SET_UP)
    ((issue_id, issue),) = validation_issues(hass).items()
    assert issue_id == f"validation_{entry.entry_id}_role_missing"
    assert issue.translation_key == "role_missing"
    assert issue.translation_placeholders == {
        "installation": "Demo home",
        "roles": "Hot tap water, Indoor climate, Space heating",
    }


def issue_keys(hass: HomeAssistant) -> list[str | None]:
    """What the validation's repair issues are about, in order."""
    return sorted(issue.translation_key for issue in validation_issues(hass).values())


async def test_a_bus_offline_is_shown_after_the_grace_period_and_clears_when_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """The RS485 converter loses power: the action names it at once, the hub an hour later."""
    freezer.move_to(SET_UP)
    entry = benext_home(p1_server, modbus_server)
    await set_up(hass, entry)

    await modbus_server.stop()
    # The next polls (every 30 s) find the converter gone.
    await run_for(hass, freezer, timedelta(minutes=1))
    response = await validate(hass, entry.entry_id)

    assert response["categories"]["reachability"] == "failed"
    assert [f["code"] for f in response["findings"] if f["category"] == "reachability"] == [
        "bus_offline"
    ]
    assert state(hass, REACHABILITY) == "passed"
    assert issue_keys(hass) == ["role_missing"]

    # The validation runs every 5 minutes; the last run before the hour is over shows nothing.
    await run_for(hass, freezer, timedelta(minutes=59))
    assert state(hass, REACHABILITY) == "passed"
    assert state(hass, VALID) == "off"
    assert issue_keys(hass) == ["role_missing"]

    # The first run after the hour shows it.
    await run_for(hass, freezer, timedelta(minutes=5))
    assert state(hass, REACHABILITY) == "failed"
    assert state(hass, VALID) == "off"
    offline = validation_issues(hass)[f"validation_{entry.entry_id}_bus_offline_modbus"]
    assert {"installation": "Demo home", "bus": "RS485"}.items() <= (
        offline.translation_placeholders or {}
    ).items()

    await modbus_server.start()
    await run_for(hass, freezer, timedelta(minutes=5))
    assert state(hass, REACHABILITY) == "passed"
    assert issue_keys(hass) == ["role_missing"]


async def test_a_reload_keeps_the_start_and_the_first_sightings(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """The room sensor is gone since set-up; a reload half-way does not restart its hour."""
    freezer.move_to(SET_UP)
    room_sensor_unavailable(hass)
    entry = home_with_room_sensor(p1_server, modbus_server)
    await set_up(hass, entry)
    unreachable = f"validation_{entry.entry_id}_meter_unreachable_room_sensor"

    await run_for(hass, freezer, timedelta(minutes=30))
    assert await hass.config_entries.async_reload(entry.entry_id)
    await until_validated(hass, VALID)
    assert state(hass, START) == shown(SET_UP)
    assert unreachable not in validation_issues(hass)

    await run_for(hass, freezer, timedelta(minutes=35))
    assert state(hass, START) == shown(SET_UP)
    assert state(hass, REACHABILITY) == "failed"
    assert unreachable in validation_issues(hass)


async def test_a_restart_keeps_the_start_and_the_first_sightings(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """Home Assistant restarts: the room sensor, gone for two hours, is an issue at once."""
    freezer.move_to(SET_UP)
    room_sensor_unavailable(hass)
    entry = home_with_room_sensor(p1_server, modbus_server)
    started = SET_UP - timedelta(days=3)
    hass_storage[STORE.format(entry.entry_id)] = {
        "version": 1,
        "minor_version": 1,
        "key": STORE.format(entry.entry_id),
        "data": {
            "validation_start": started.isoformat(),
            "first_seen": {
                "meter_unreachable_room_sensor": (SET_UP - timedelta(hours=2)).isoformat()
            },
            "passing_since": None,
            "uninterrupted_since": None,
            "last_run": (SET_UP - timedelta(hours=2)).isoformat(),
        },
    }

    await set_up(hass, entry)

    assert state(hass, START) == shown(started)
    assert state(hass, REACHABILITY) == "failed"
    assert f"validation_{entry.entry_id}_meter_unreachable_room_sensor" in validation_issues(hass)


async def test_a_reset_survives_a_reload_right_after_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """The installer resets the start, then adds a meter at once: the new start stays."""
    freezer.move_to(SET_UP)
    entry = benext_home(p1_server, modbus_server)
    await set_up(hass, entry)
    await run_for(hass, freezer, timedelta(minutes=30))

    await hass.services.async_call("button", "press", {"entity_id": RESET}, blocking=True)
    reset_at = dt_util.utcnow()
    assert state(hass, START) == shown(reset_at)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await until_validated(hass, VALID)

    assert state(hass, START) == shown(reset_at)


async def test_removing_the_installation_removes_its_validation(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """No store of a deleted installation stays behind, not even one written late."""
    freezer.move_to(SET_UP)
    entry = benext_home(p1_server, modbus_server)
    await set_up(hass, entry)
    await run_for(hass, freezer, timedelta(minutes=5))
    assert STORE.format(entry.entry_id) in hass_storage

    # A validation just ran, and its state is still to be written.
    await hass.services.async_call("button", "press", {"entity_id": RESET}, blocking=True)
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert STORE.format(entry.entry_id) not in hass_storage

    await run_for(hass, freezer, timedelta(minutes=5))
    assert STORE.format(entry.entry_id) not in hass_storage
    assert validation_issues(hass) == {}
