"""The `benext.export_period` action: each meter's consumption in a period, as a CSV file.

A real home (a P1 telegram server, a Modbus TCP server with BeNext's three kWh meters, two
heat meters on wM-Bus) whose totals have hourly long-term statistics, imported into the
recorder as it would have compiled them. The file is checked against what the recorder
says each total changed in the period (the Energy dashboard's figure).
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder, get_instance
from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import (
    async_import_statistics,
    statistic_during_period,
)
from homeassistant.components.sensor import SensorStateClass
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.benext.const import DOMAIN
from tests import setup_integration
from tests.existing_helpers import (
    HEAT_PUMP_ENERGY,
    existing_entity_subentry,
    set_heat_pump_energy,
)
from tests.modbus_helpers import modbus_meter_subentry
from tests.p1_helpers import SUBENTRY_ID as SMART_METER
from tests.peers import ModbusTcpPeer, P1TelegramServer, network
from tests.validation_helpers import benext_home as home_with_kwh_meters
from tests.wmbus_peers import WEBHOOK_ID, Meter, wmbus_meter_subentry

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Statistics from the hour before 5 January (local midnight) for 14 days.
HISTORY_START = datetime(2026, 1, 5, tzinfo=AMSTERDAM)
HOURS = 14 * 24
NOW = datetime(2026, 1, 25, 10, 17, tzinfo=AMSTERDAM)
UNIT_CLASSES = {"kWh": "energy", "GJ": "energy", "m³": "volume"}
# Three hours the recorder missed for the heat pump's import: 8 January, 10:00 to 13:00.
MISSED_FROM = datetime(2026, 1, 8, 10, tzinfo=AMSTERDAM)
MISSED_HOURS = 3

SPACE_HEATING = Meter(
    "meter_space_heating",
    "29481002",
    "qualcosonic",
    None,
    "space_heating",
    ("total_m3", "total_heat_energy_kwh"),
)
HOT_TAP_WATER = Meter(
    "meter_hot_tap_water", "03016408", "qualcosonic", None, "hot_tap_water", ("total_m3",)
)


@pytest.fixture
def mock_recorder_before_hass(async_setup_recorder_instance: object) -> None:
    """The recorder's database is prepared before Home Assistant starts."""


@pytest.fixture
async def dutch_home(hass: HomeAssistant, tmp_path: Path, freezer: FrozenDateTimeFactory) -> None:
    """The home is in the Netherlands, its configuration in a folder of its own, on NOW."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    hass.config.config_dir = str(tmp_path)
    freezer.move_to(NOW)


def benext_home(p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer) -> MockConfigEntry:
    """The smart meter, BeNext's three kWh meters and the two heat meters."""
    return home_with_kwh_meters(
        p1_server,
        modbus_server,
        wmbus_meter_subentry(SPACE_HEATING),
        wmbus_meter_subentry(HOT_TAP_WATER),
        wmbus_webhook_id=WEBHOOK_ID,
    )


def total_sensors(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """Every enabled total of the installation's meters: its unit by entity id.

    The hub's own totals (the household's energy) are no meter's, and not reported.
    """
    return {
        entity.entity_id: entity.unit_of_measurement or ""
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if not entity.disabled
        and entity.config_subentry_id is not None
        and (entity.capabilities or {}).get("state_class") == SensorStateClass.TOTAL_INCREASING
    }


def entity_id(hass: HomeAssistant, subentry_id: str, key: str) -> str:
    """The entity id of a meter's sensor."""
    found = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{subentry_id}_{key}")
    assert found is not None, f"{subentry_id}_{key}"
    return found


async def record(
    hass: HomeAssistant, statistic_id: str, unit: str, per_hour: float, skipped: range = range(0)
) -> None:
    """Hourly statistics of a total, reading 1000 + its sum; no rows for the `skipped` hours.

    After skipped hours the next row's sum holds what was counted meanwhile, as after a
    recorder that was down.
    """
    rows: list[StatisticData] = []
    total = 0.0
    for n in range(-1, HOURS):
        if n >= 0:
            total += per_hour
        if n not in skipped:
            hour = HISTORY_START + timedelta(hours=n)
            rows.append(StatisticData(start=hour, state=1000.0 + total, sum=total))
    async_import_statistics(
        hass,
        StatisticMetaData(
            mean_type=StatisticMeanType.NONE,
            has_sum=True,
            name=None,
            source="recorder",
            statistic_id=statistic_id,
            unit_class=UNIT_CLASSES.get(unit),
            unit_of_measurement=unit,
        ),
        rows,
    )


async def set_up_home_with_history(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> tuple[MockConfigEntry, dict[str, float]]:
    """The home, loaded, every total with 14 days of statistics; each total's rate per hour."""
    entry = benext_home(p1_server, modbus_server)
    assert await setup_integration(hass, entry)
    heat_pump = entity_id(hass, "meter_heat_pump", "import_energy")
    missed = (MISSED_FROM - HISTORY_START) // timedelta(hours=1)
    rates: dict[str, float] = {}
    for index, (statistic_id, unit) in enumerate(sorted(total_sensors(hass, entry).items())):
        rates[statistic_id] = 0.01 * (index + 1)
        skipped = range(missed, missed + MISSED_HOURS) if statistic_id == heat_pump else range(0)
        await record(hass, statistic_id, unit, rates[statistic_id], skipped)
    await async_wait_recording_done(hass)
    return entry, rates


async def export_period(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """What `benext.export_period` returns."""
    response = await hass.services.async_call(
        DOMAIN, "export_period", data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


def read_csv(path: str) -> list[dict[str, str]]:
    """The exported file as a spreadsheet reads it."""
    with Path(path).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


async def dashboard_change(
    hass: HomeAssistant, statistic_id: str, start: datetime, end: datetime
) -> float | None:
    """What the recorder says a total changed from `start` to `end`."""
    found = await get_instance(hass).async_add_executor_job(
        statistic_during_period, hass, start, end, statistic_id, {"change"}, None
    )
    change: float | None = found.get("change")
    return change


@pytest.mark.usefixtures("dutch_home")
async def test_the_csv_has_every_total_with_the_dashboards_consumption(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """6 to 12 January: each total's readings, its consumption as the recorder counts it."""
    entry, rates = await set_up_home_with_history(hass, p1_server, modbus_server)

    response = await export_period(
        hass, config_entry_id=entry.entry_id, start="2026-01-06", end="2026-01-12"
    )

    path = Path(hass.config.config_dir) / "benext" / "demo_home_2026_01_06_2026_01_12.csv"
    assert response["file"] == str(path)
    rows = read_csv(response["file"])
    start = datetime(2026, 1, 6, tzinfo=AMSTERDAM)
    end = datetime(2026, 1, 13, tzinfo=AMSTERDAM)
    power_failures = {
        entity_id(hass, SMART_METER, "short_power_failures"),
        entity_id(hass, SMART_METER, "long_power_failures"),
    }
    # Every total, but not the smart meter's counts of power failures (diagnostic).
    assert {row["sensor"] for row in rows} == set(rates) - power_failures
    assert len(rows) == 14
    for row in rows:
        rate, hours_before = rates[row["sensor"]], 24
        assert float(row["consumption"]) == pytest.approx(
            await dashboard_change(hass, row["sensor"], start, end)
        ), row
        assert float(row["consumption"]) == pytest.approx(rate * 7 * 24), row
        assert float(row["reading_start"]) == pytest.approx(1000 + rate * hours_before), row
        assert float(row["reading_end"]) == pytest.approx(1000 + rate * 8 * 24), row
        assert (row["period_start"], row["period_end"]) == (
            "2026-01-06T00:00+01:00",
            "2026-01-13T00:00+01:00",
        )
    meters = {row["meter"] for row in rows}
    assert meters == {subentry.title for subentry in entry.subentries.values()}
    smart_meter = {row["sensor"] for row in rows if row["role"] == "grid"}
    assert entity_id(hass, SMART_METER, "energy_import_t1") in smart_meter
    assert entity_id(hass, SMART_METER, "energy_export_t2") in smart_meter
    assert {row["unit"] for row in rows} == {"kWh", "m³", "GJ"}
    assert {(row["name"], row["unit"]) for row in rows if row["meter"] == "Smart meter · P1"} >= {
        ("Gas meter · Demo home Gas", "m³")
    }


@pytest.mark.usefixtures("dutch_home")
async def test_a_gap_is_named_and_its_consumption_still_counted(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """The heat pump's three missed hours: named, and what they counted is in the total."""
    entry, rates = await set_up_home_with_history(hass, p1_server, modbus_server)
    heat_pump = entity_id(hass, "meter_heat_pump", "import_energy")

    response = await export_period(
        hass,
        config_entry_id=entry.entry_id,
        start="2026-01-08 06:00",
        end="2026-01-08 18:00",
        name="Heat pump, 8 January",
    )

    assert Path(response["file"]).name == "heat_pump_8_january.csv"
    rows = {row["sensor"]: row for row in read_csv(response["file"])}
    row = rows[heat_pump]
    assert row["missing_hours"] == "3"
    assert row["gaps"] == "2026-01-08T10:00+01:00/2026-01-08T13:00+01:00"
    assert float(row["consumption"]) == pytest.approx(rates[heat_pump] * 12)
    assert float(row["consumption"]) == pytest.approx(
        await dashboard_change(
            hass,
            heat_pump,
            datetime(2026, 1, 8, 6, tzinfo=AMSTERDAM),
            datetime(2026, 1, 8, 18, tzinfo=AMSTERDAM),
        )
    )
    assert all(r["gaps"] == "" for sensor, r in rows.items() if sensor != heat_pump)
    meter = next(m for m in response["meters"] if m["meter"] == row["meter"])
    total = next(t for t in meter["totals"] if t["entity_id"] == heat_pump)
    assert total["gaps"] == [
        {"start": "2026-01-08T10:00:00+01:00", "end": "2026-01-08T13:00:00+01:00"}
    ]
    assert total["consumption"] == pytest.approx(float(row["consumption"]))


@pytest.mark.usefixtures("dutch_home")
async def test_a_period_past_the_history_shows_its_missing_days(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """Until today: the statistics end on 18 January; the days since are one gap."""
    entry, rates = await set_up_home_with_history(hass, p1_server, modbus_server)

    response = await export_period(
        hass, config_entry_id=entry.entry_id, start="2026-01-15", end="2026-12-31"
    )

    assert response["end"] == "2026-01-25T10:00:00+01:00"
    for row in read_csv(response["file"]):
        assert row["gaps"] == "2026-01-19T00:00+01:00/2026-01-25T10:00+01:00", row
        assert float(row["consumption"]) == pytest.approx(rates[row["sensor"]] * 4 * 24)


@pytest.mark.usefixtures("dutch_home")
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            "2026-01-12",
            "2026-01-06",
            "The period ends (2026-01-06) before it starts (2026-01-12)",
        ),
        (
            "2026-02-01",
            "2026-02-28",
            "The period starting 2026-02-01 lies in the future: its hours have no statistics yet",
        ),
        (
            "2026-01-06 06:30",
            "2026-01-07",
            "Give the period's start (2026-01-06 06:30) and end (2026-01-07) as dates or as"
            " times on the hour: long-term statistics are hourly",
        ),
    ],
)
async def test_a_period_that_cannot_be_reported_is_refused(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
    start: str,
    end: str,
    message: str,
) -> None:
    """The error says what is wrong with the period, and no file is written."""
    entry = benext_home(p1_server, modbus_server)
    assert await setup_integration(hass, entry)

    with pytest.raises(ServiceValidationError) as err:
        await export_period(hass, config_entry_id=entry.entry_id, start=start, end=end)

    assert str(err.value) == message
    assert not (Path(hass.config.config_dir) / "benext").exists()


@pytest.mark.usefixtures("dutch_home")
async def test_an_installation_not_loaded_is_refused(
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """An installation that is not running has no meters to report."""
    entry = benext_home(p1_server, modbus_server)
    assert await setup_integration(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED

    with pytest.raises(ServiceValidationError) as err:
        await export_period(
            hass, config_entry_id=entry.entry_id, start="2026-01-06", end="2026-01-12"
        )

    assert err.value.translation_key == "installation_not_loaded"


@pytest.mark.usefixtures("dutch_home")
async def test_an_existing_entity_in_a_role_is_reported_from_its_own_statistics(
    recorder_mock: Recorder, hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """A heat pump integration's energy total, put in the heat pump's role."""
    set_heat_pump_energy(hass, "1200.0")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": {"transport": "tcp", "network": network(modbus_server.port)}},
        subentries_data=[
            modbus_meter_subentry("ventilation", 4, "eastron_sdm220"),
            existing_entity_subentry(HEAT_PUMP_ENERGY, "heat_pump", "Heat pump energy · Heat pump"),
        ],
    )
    assert await setup_integration(hass, entry)
    await record(hass, HEAT_PUMP_ENERGY, "kWh", 0.25)
    await async_wait_recording_done(hass)

    response = await export_period(
        hass, config_entry_id=entry.entry_id, start="2026-01-06", end="2026-01-06"
    )

    rows = {row["sensor"]: row for row in read_csv(response["file"])}
    assert rows[HEAT_PUMP_ENERGY]["meter"] == "Heat pump energy · Heat pump"
    assert rows[HEAT_PUMP_ENERGY]["name"] == "Heat pump energy"
    assert float(rows[HEAT_PUMP_ENERGY]["consumption"]) == pytest.approx(6.0)
    # The ventilation meter's totals have no statistics: the whole day is a gap.
    ventilation = entity_id(hass, "meter_ventilation", "import_energy")
    assert rows[ventilation]["consumption"] == ""
    assert rows[ventilation]["gaps"] == "2026-01-06T00:00+01:00/2026-01-07T00:00+01:00"
