"""The periodic validation as the installer sees it: the hub's entities and the repair issues."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import async_import_statistics
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from tests import setup_integration
from tests.existing_helpers import ROOM_SENSOR, existing_entity_subentry, set_room_temperature
from tests.peers import ModbusTcpPeer, P1TelegramServer
from tests.validation_helpers import (
    benext_home,
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


# What a meter counts in the hour that starts at the given moment.
type Rate = Callable[[datetime], float]


@pytest.fixture
def mock_recorder_before_hass(async_setup_recorder_instance: object) -> None:
    """The recorder's database is prepared before Home Assistant starts."""


def steady(per_day: float) -> Rate:
    """The same amount every hour: `per_day` a day."""
    return lambda _hour: per_day / 24


async def record(
    hass: HomeAssistant,
    statistic_id: str,
    unit: str,
    rate: Rate,
    since: datetime,
    days: int,
    *,
    hourly: bool = False,
) -> None:
    """A total's statistics from an hour before `since` for `days` days, as compiled.

    Every hour's row when `hourly`; else, to import quickly, only each day's last hour.
    """
    rows: list[StatisticData] = []
    total = 0.0
    for n in range(-1, days * 24):
        hour = since + timedelta(hours=n)
        if n >= 0:
            total += rate(hour)
        if hourly or n % 24 == 23 or n == -1:
            rows.append(StatisticData(start=hour, state=1000.0 + total, sum=total))
    async_import_statistics(
        hass,
        StatisticMetaData(
            mean_type=StatisticMeanType.NONE,
            has_sum=True,
            name=None,
            source="recorder",
            statistic_id=statistic_id,
            unit_class="energy" if unit == "kWh" else "volume",
            unit_of_measurement=unit,
        ),
        rows,
    )


async def unload_before_the_recorder_stops(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Stop the validation before the test's recorder goes: a run could still read from it."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


def store_validation(
    hass_storage: dict[str, Any], entry: MockConfigEntry, **data: str | dict[str, str] | None
) -> None:
    """What an earlier run of Home Assistant left in the installation's validation store."""
    key = STORE.format(entry.entry_id)
    hass_storage[key] = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": {
            "first_seen": {},
            "passing_since": None,
            "uninterrupted_since": None,
            "last_run": None,
            **data,
        },
    }


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
    store_validation(
        hass_storage,
        entry,
        validation_start=started.isoformat(),
        first_seen={"meter_unreachable_room_sensor": (SET_UP - timedelta(hours=2)).isoformat()},
        last_run=(SET_UP - timedelta(hours=2)).isoformat(),
    )

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


async def test_a_run_after_the_unload_changes_nothing(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """A run that waited while the installation unloaded finds no buses and leaves all be."""
    entry = benext_home(p1_server, modbus_server)
    await set_up(hass, entry)
    validation = entry.runtime_data.validation
    assert await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[STORE.format(entry.entry_id)]

    await validation.async_validate()
    await hass.async_block_till_done()

    assert validation_issues(hass) == {}
    assert hass_storage[STORE.format(entry.entry_id)] == stored


async def test_the_reset_starts_day_1_over(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """The heat pump counted 20 kWh on day 1, above its winter bandwidth; after the reset
    day 1 lies ahead again, and so does the finding."""
    counted_from = SET_UP - timedelta(days=2)
    freezer.move_to(SET_UP)
    for key, per_day in (("consumption", 20.0), ("returned", 0.0)):
        statistic_id = f"sensor.heat_pump_modbus_3_energy_{key}"
        await record(hass, statistic_id, "kWh", steady(per_day), counted_from, 2)
    await async_wait_recording_done(hass)
    entry = benext_home(p1_server, modbus_server)
    store_validation(
        hass_storage,
        entry,
        validation_start=counted_from.isoformat(),
        first_seen={
            "heat_pump_out_of_band_day_1_meter_heat_pump": counted_from.isoformat(),
        },
    )
    await set_up(hass, entry)
    out_of_band = f"validation_{entry.entry_id}_heat_pump_out_of_band_day_1_meter_heat_pump"
    assert state(hass, CORRECTNESS) == "failed"
    issue = validation_issues(hass)[out_of_band]
    assert {
        "day": "1",
        "season": "winter",
        "amount": "20",
        "low": "0.01",
        "high": "15",
    }.items() <= (issue.translation_placeholders or {}).items()

    await hass.services.async_call("button", "press", {"entity_id": RESET}, blocking=True)

    assert state(hass, START) == shown(SET_UP)
    assert state(hass, CORRECTNESS) == "pending"
    assert out_of_band not in validation_issues(hass)

    # The action does the same, and answers with the validation that follows.
    await run_for(hass, freezer, timedelta(minutes=3))
    response = await hass.services.async_call(
        "benext",
        "reset_validation_start",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    again = SET_UP + timedelta(minutes=3)
    assert response["validation_start"] == again.isoformat()
    assert response["categories"] == {
        "reachability": "passed",
        "values_forwarded": "passed",
        "configuration": "failed",
        "data_correctness": "pending",
        "common_fault": "passed",
    }
    assert state(hass, START) == shown(again)
    await unload_before_the_recorder_stops(hass, entry)


async def test_a_second_installation_keeps_its_own_validation(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """A flat whose only meter is a room sensor, next to the home: each sees its own."""
    freezer.move_to(SET_UP)
    room_sensor_unavailable(hass)
    home = benext_home(p1_server, modbus_server)
    flat = MockConfigEntry(
        domain="benext",
        title="Flat 12",
        data={},
        subentries_data=[
            existing_entity_subentry(ROOM_SENSOR, "indoor_climate", ROOM, "flat_room_sensor")
        ],
    )
    await set_up(hass, home)
    assert await setup_integration(hass, flat)
    await until_validated(hass, "binary_sensor.flat_12_installation_valid")
    await run_for(hass, freezer, timedelta(minutes=65))

    flat_unreachable = f"validation_{flat.entry_id}_meter_unreachable_flat_room_sensor"
    assert set(validation_issues(hass)) == {
        f"validation_{home.entry_id}_role_missing",
        f"validation_{flat.entry_id}_role_missing",
        flat_unreachable,
    }
    assert state(hass, "sensor.flat_12_reachability") == "failed"
    assert state(hass, REACHABILITY) == "passed"

    # The room sensor is back: the flat's issue clears, the home's stays.
    set_room_temperature(hass, "21")
    await run_for(hass, freezer, timedelta(minutes=5))
    assert set(validation_issues(hass)) == {
        f"validation_{home.entry_id}_role_missing",
        f"validation_{flat.entry_id}_role_missing",
    }

    # The flat's start is reset; the home keeps its own.
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.flat_12_reset_validation_start"}, blocking=True
    )
    assert state(hass, "sensor.flat_12_validation_start") == shown(SET_UP + timedelta(minutes=70))
    assert state(hass, START) == shown(SET_UP)

    # Unloading the flat takes only its issues.
    assert await hass.config_entries.async_unload(flat.entry_id)
    assert set(validation_issues(hass)) == {f"validation_{home.entry_id}_role_missing"}


SPACE_HEATING = "sensor.space_heating_volume"
HOT_TAP_WATER = "sensor.hot_tap_water_volume"
# Two weeks and a day ago, in winter: every check has passed since, without a gap.
VALIDATED_FROM = SET_UP - timedelta(days=15)


def sunny(per_day: float) -> Rate:
    """PV production from 10:00 to 15:00 in Amsterdam, nothing at night."""
    return lambda hour: per_day / 5 if 10 <= dt_util.as_local(hour).hour < 15 else 0.0


def set_volume(hass: HomeAssistant, entity_id: str, m3: str) -> None:
    """A heat meter integration's volume total."""
    hass.states.async_set(
        entity_id,
        m3,
        {"device_class": "water", "unit_of_measurement": "m³", "state_class": "total_increasing"},
    )


async def record_a_valid_home(hass: HomeAssistant) -> None:
    """Since VALIDATED_FROM every meter counted, each within BeNext's winter bandwidths.

    By day 1 and day 10: PV 0.5 and 5 kWh, the heat pump 6 and 60, the ventilation 1.5 and
    15; space heating 0.5 and 5 m³, hot tap water 0.1 and 1. The household used 30 kWh a day.
    """
    kwh: dict[str, Rate] = {
        "sensor.smart_meter_p1_energy_import_tariff_1": steady(25.0),
        "sensor.smart_meter_p1_energy_import_tariff_2": steady(15.0),
        "sensor.smart_meter_p1_energy_export_tariff_1": steady(1.0),
        "sensor.smart_meter_p1_energy_export_tariff_2": steady(2.0),
        "sensor.pv_modbus_2_own_use": steady(0.1),
        "sensor.heat_pump_modbus_3_energy_consumption": steady(6.0),
        "sensor.heat_pump_modbus_3_energy_returned": steady(0.0),
        "sensor.ventilation_modbus_4_energy_consumption": steady(1.5),
        "sensor.ventilation_modbus_4_energy_returned": steady(0.0),
    }
    for statistic_id, rate in kwh.items():
        await record(hass, statistic_id, "kWh", rate, VALIDATED_FROM, 15)
    # Its night production is read hour by hour.
    await record(
        hass,
        "sensor.pv_modbus_2_energy_production",
        "kWh",
        sunny(0.5),
        VALIDATED_FROM,
        15,
        hourly=True,
    )
    await record(hass, SPACE_HEATING, "m³", steady(0.5), VALIDATED_FROM, 15)
    await record(hass, HOT_TAP_WATER, "m³", steady(0.1), VALIDATED_FROM, 15)
    await async_wait_recording_done(hass)


async def test_the_validation_date_of_a_home_where_every_check_passes(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """Fifteen days of passing checks on uninterrupted data: BeNext signs off on day 14.

    Then the living room gets too warm: an hour later the installation is no longer valid.
    """
    freezer.move_to(SET_UP)
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    hass.config.latitude, hass.config.longitude = 52.09, 5.12
    set_room_temperature(hass, "21.5")
    set_volume(hass, SPACE_HEATING, "812.5")
    set_volume(hass, HOT_TAP_WATER, "95.2")
    await record_a_valid_home(hass)
    entry = benext_home(
        p1_server,
        modbus_server,
        existing_entity_subentry(ROOM_SENSOR, "indoor_climate", ROOM),
        existing_entity_subentry(
            SPACE_HEATING, "space_heating", "Space heating volume", "space_heating"
        ),
        existing_entity_subentry(
            HOT_TAP_WATER, "hot_tap_water", "Hot tap water volume", "hot_tap_water"
        ),
    )
    store_validation(
        hass_storage,
        entry,
        validation_start=VALIDATED_FROM.isoformat(),
        passing_since=VALIDATED_FROM.isoformat(),
        uninterrupted_since=VALIDATED_FROM.isoformat(),
        last_run=(SET_UP - timedelta(minutes=5)).isoformat(),
    )

    await set_up(hass, entry)

    assert {
        sensor: state(hass, sensor)
        for sensor in (REACHABILITY, FORWARDED, CONFIGURATION, CORRECTNESS, COMMON_FAULTS)
    } == dict.fromkeys(
        (REACHABILITY, FORWARDED, CONFIGURATION, CORRECTNESS, COMMON_FAULTS), "passed"
    )
    assert state(hass, VALID) == "on"
    assert state(hass, DATE) == shown(VALIDATED_FROM + timedelta(days=14))
    assert validation_issues(hass) == {}

    set_room_temperature(hass, "30")
    await run_for(hass, freezer, timedelta(minutes=30))
    assert state(hass, VALID) == "on"
    assert state(hass, CORRECTNESS) == "passed"
    # Seen by the next run (every 5 minutes), shown by the first run an hour after that.
    await run_for(hass, freezer, timedelta(minutes=40))

    assert state(hass, VALID) == "off"
    assert state(hass, CORRECTNESS) == "failed"
    assert state(hass, DATE) == "unknown"
    assert [issue.translation_key for issue in validation_issues(hass).values()] == [
        "indoor_temperature_out_of_band"
    ]
    await unload_before_the_recorder_stops(hass, entry)
