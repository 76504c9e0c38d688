"""What each meter counted since the validation start, read from the recorder's statistics.

A real home (a P1 telegram server, a Modbus TCP server with BeNext's three kWh meters, two
heat meters on wM-Bus) whose totals have hourly long-term statistics, imported into the
recorder as it would have compiled them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import async_import_statistics
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from sqlalchemy.exc import OperationalError

from custom_components.benext.const import DOMAIN
from custom_components.benext.domain.validation.snapshot import Counted
from custom_components.benext.domain.validation.validate import validate
from custom_components.benext.validation_snapshot import MeterAmounts, home_snapshot
from custom_components.benext.validation_statistics import async_meter_amounts
from tests import setup_integration
from tests.p1_helpers import SUBENTRY_ID as SMART_METER
from tests.peers import ModbusTcpPeer, P1TelegramServer
from tests.validation_helpers import benext_home as home_with_kwh_meters
from tests.wmbus_peers import WEBHOOK_ID, Meter, wmbus_meter_subentry

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A winter validation: the heat pump's bandwidths and the swap of heat pump and ventilation
# apply. Midnight in Amsterdam, on the hour in UTC as the hourly statistics are.
START = datetime(2026, 1, 5, tzinfo=AMSTERDAM)
HOURS = 14 * 24

SPACE_HEATING = Meter(
    "meter_space_heating", "29481002", "qualcosonic", None, "space_heating", ("total_m3",)
)
HOT_TAP_WATER = Meter(
    "meter_hot_tap_water", "03016408", "qualcosonic", None, "hot_tap_water", ("total_m3",)
)

# What a meter counts in an hour, given the hour's start in local time.
type Rate = Callable[[datetime], float]


def steady(per_day: float) -> Rate:
    """The same amount every hour: `per_day` a day."""
    return lambda _hour: per_day / 24


def sunny(per_day: float, at_night: dict[datetime, float] | None = None) -> Rate:
    """PV production from 10:00 to 15:00 local time, plus what `at_night` says for its hours."""
    at_night = at_night or {}
    return lambda hour: at_night.get(hour, per_day / 5 if 10 <= hour.hour < 15 else 0.0)


@pytest.fixture
def mock_recorder_before_hass(async_setup_recorder_instance: object) -> None:
    """The recorder's database is prepared before Home Assistant starts."""


@pytest.fixture
async def netherlands(hass: HomeAssistant) -> None:
    """The home stands in the Netherlands: its nights are Dutch nights."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    hass.config.latitude, hass.config.longitude = 52.09, 5.12


def benext_home(p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer) -> MockConfigEntry:
    """The smart meter, BeNext's three kWh meters and the two heat meters."""
    return home_with_kwh_meters(
        p1_server,
        modbus_server,
        wmbus_meter_subentry(SPACE_HEATING),
        wmbus_meter_subentry(HOT_TAP_WATER),
        wmbus_webhook_id=WEBHOOK_ID,
    )


def entity_id(hass: HomeAssistant, subentry_id: str, key: str) -> str:
    """The entity id of a meter's sensor."""
    found = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{subentry_id}_{key}")
    assert found is not None, f"{subentry_id}_{key}"
    return found


async def record(
    hass: HomeAssistant, statistic_id: str, unit: str, rate: Rate, *, hourly: bool = False
) -> None:
    """Statistics of a total from an hour before START for 14 days, as compiled.

    Every hour's row when `hourly`; else, to import quickly, only the last hour of each day,
    which holds the sum at midnight.
    """
    unit_class = "energy" if unit == "kWh" else "volume"
    rows: list[StatisticData] = []
    total = 0.0
    for n in range(-1, HOURS):
        hour = START + timedelta(hours=n)
        if n >= 0:
            total += rate(hour)
        if hourly or n % 24 == 23:
            rows.append(StatisticData(start=hour, state=1000.0 + total, sum=total))
    async_import_statistics(
        hass,
        StatisticMetaData(
            mean_type=StatisticMeanType.NONE,
            has_sum=True,
            name=None,
            source="recorder",
            statistic_id=statistic_id,
            unit_class=unit_class,
            unit_of_measurement=unit,
        ),
        rows,
    )


async def record_home(
    hass: HomeAssistant,
    *,
    heat_pump: float = 5.0,
    ventilation: float = 1.0,
    pv: Rate | None = None,
) -> None:
    """Statistics for every total of the home, with `heat_pump` and `ventilation` kWh a day."""
    kwh = {
        (SMART_METER, "energy_import_t1"): steady(25.0),
        (SMART_METER, "energy_import_t2"): steady(15.0),
        (SMART_METER, "energy_export_t1"): steady(1.0),
        (SMART_METER, "energy_export_t2"): steady(2.0),
        ("meter_pv", "export_energy"): pv or sunny(0.5),
        ("meter_pv", "import_energy"): steady(0.1),
        ("meter_heat_pump", "import_energy"): steady(heat_pump),
        ("meter_heat_pump", "export_energy"): steady(0.0),
        ("meter_ventilation", "import_energy"): steady(ventilation),
        ("meter_ventilation", "export_energy"): steady(0.0),
    }
    for (subentry_id, key), rate in kwh.items():
        # The PV meter's night production is read from its hours.
        hourly = (subentry_id, key) == ("meter_pv", "export_energy")
        await record(hass, entity_id(hass, subentry_id, key), "kWh", rate, hourly=hourly)
    await record(hass, entity_id(hass, SPACE_HEATING.subentry_id, "total_m3"), "m³", steady(0.5))
    await record(hass, entity_id(hass, HOT_TAP_WATER.subentry_id, "total_m3"), "m³", steady(0.1))
    await async_wait_recording_done(hass)


async def set_up_home(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> MockConfigEntry:
    """The home, loaded, with every total's entity in the registry."""
    entry = benext_home(p1_server, modbus_server)
    assert await setup_integration(hass, entry)
    return entry


def amounts_close(actual: MeterAmounts, expected: MeterAmounts) -> bool:
    """Whether the amounts are the same, up to the rounding of summed floats."""
    return actual == expected or (
        all(
            (a is None) == (e is None)
            for a, e in (
                (actual.counted_day_1, expected.counted_day_1),
                (actual.counted_day_10, expected.counted_day_10),
                (actual.counted, expected.counted),
            )
        )
        and all(
            a is None
            or e is None
            or (a.amount == pytest.approx(e.amount) and a.opposite == pytest.approx(e.opposite))
            for a, e in (
                (actual.counted_day_1, expected.counted_day_1),
                (actual.counted_day_10, expected.counted_day_10),
                (actual.counted, expected.counted),
            )
        )
        and actual.night_production == pytest.approx(expected.night_production)
    )


@pytest.mark.usefixtures("netherlands")
async def test_each_meter_counts_its_roles_amount_by_day_1_day_10_and_now(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """Tariffs summed for the grid, production for PV, volume for the heat meters."""
    entry = await set_up_home(hass, p1_server, modbus_server)
    await record_home(hass)

    amounts = await async_meter_amounts(hass, entry, START, START + timedelta(days=12), {})

    def days(per_day: float, opposite_per_day: float = 0.0) -> tuple[Counted, ...]:
        return tuple(Counted(per_day * n, opposite_per_day * n) for n in (1, 10, 12))

    expected = {
        SMART_METER: (days(40.0, 3.0), None),
        "meter_pv": (days(0.5, 0.1), 0.0),
        "meter_heat_pump": (days(5.0), None),
        "meter_ventilation": (days(1.0), None),
        SPACE_HEATING.subentry_id: (days(0.5), None),
        HOT_TAP_WATER.subentry_id: (days(0.1), None),
    }
    assert set(amounts) == set(expected)
    for subentry_id, ((day_1, day_10, until_now), night) in expected.items():
        assert amounts_close(amounts[subentry_id], MeterAmounts(day_1, day_10, until_now, night)), (
            subentry_id,
            amounts[subentry_id],
        )


@pytest.mark.usefixtures("netherlands")
async def test_day_10_is_read_only_once_it_has_passed(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """On day 5, day 1 is known and day 10 still lies ahead; what is known is not read again."""
    entry = await set_up_home(hass, p1_server, modbus_server)
    await record_home(hass)
    now = START + timedelta(days=5)
    earlier = MeterAmounts(counted_day_1=Counted(4.5))

    amounts = await async_meter_amounts(hass, entry, START, now, {"meter_heat_pump": earlier})

    assert amounts["meter_heat_pump"].counted_day_1 == Counted(4.5)
    assert amounts["meter_heat_pump"].counted_day_10 is None
    assert amounts["meter_heat_pump"].counted == Counted(pytest.approx(25.0))
    assert amounts["meter_ventilation"].counted_day_1 == Counted(pytest.approx(1.0))
    assert amounts["meter_ventilation"].counted_day_10 is None


@pytest.mark.usefixtures("netherlands")
async def test_pv_production_at_night_is_found(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """A PV meter that counts 0.3 kWh at 02:00 and 0.2 kWh at 23:00 produced 0.5 kWh at night.

    What it counts in the afternoon hour of sunset (16:00) is daylight.
    """
    entry = await set_up_home(hass, p1_server, modbus_server)
    at_night = {
        datetime(2026, 1, 7, 2, tzinfo=AMSTERDAM): 0.3,
        datetime(2026, 1, 9, 23, tzinfo=AMSTERDAM): 0.2,
        datetime(2026, 1, 8, 16, tzinfo=AMSTERDAM): 0.4,
    }
    await record_home(hass, pv=sunny(0.5, at_night))

    amounts = await async_meter_amounts(hass, entry, START, START + timedelta(days=12), {})
    home = home_snapshot(entry, START + timedelta(days=12), START, amounts)

    assert amounts["meter_pv"].night_production == pytest.approx(0.5)
    assert "pv_production_at_night" in {f.code for f in validate(home).findings}


@pytest.mark.usefixtures("netherlands")
async def test_a_meter_whose_total_is_missing_or_disabled_has_no_amount(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
) -> None:
    """The ventilation's total was removed and the grid's export tariff 2 disabled."""
    entry = await set_up_home(hass, p1_server, modbus_server)
    await record_home(hass)
    registry = er.async_get(hass)
    registry.async_remove(entity_id(hass, "meter_ventilation", "import_energy"))
    registry.async_update_entity(
        entity_id(hass, SMART_METER, "energy_export_t2"),
        disabled_by=er.RegistryEntryDisabler.USER,
    )

    amounts = await async_meter_amounts(hass, entry, START, START + timedelta(days=12), {})
    home = home_snapshot(entry, START + timedelta(days=12), START, amounts)

    assert "meter_ventilation" not in amounts
    assert SMART_METER not in amounts
    assert amounts["meter_heat_pump"].counted is not None
    ventilation = next(m for m in home.meters if m.meter_id == "meter_ventilation")
    assert (ventilation.counted_day_1, ventilation.counted_day_10, ventilation.counted) == (
        None,
        None,
        None,
    )


async def test_without_the_recorder_nothing_is_counted(
    hass: HomeAssistant, p1_server: P1TelegramServer, modbus_server: ModbusTcpPeer
) -> None:
    """A Home Assistant without the recorder: data correctness stays pending, nothing fails."""
    entry = await set_up_home(hass, p1_server, modbus_server)
    now = START + timedelta(days=12)

    amounts = await async_meter_amounts(hass, entry, START, now, {})

    assert amounts == {}
    assert "data_correctness" in validate(home_snapshot(entry, now, START, amounts)).pending


async def test_a_database_that_cannot_be_read_keeps_what_was_known(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A locked database fails no validation: the amounts known stay, and it is logged."""
    entry = await set_up_home(hass, p1_server, modbus_server)
    await record_home(hass)
    earlier = {"meter_heat_pump": MeterAmounts(counted_day_1=Counted(4.5))}

    def locked(*args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(
        "custom_components.benext.validation_statistics.statistic_during_period", locked
    )
    amounts = await async_meter_amounts(hass, entry, START, START + timedelta(days=5), earlier)

    assert amounts == earlier
    assert "could not be read for the validation" in caplog.text
    assert "database is locked" in caplog.text


@pytest.mark.usefixtures("netherlands")
@pytest.mark.parametrize(
    ("heat_pump", "ventilation", "correctness"),
    [
        # The manual's examples, counted by day 10 in winter.
        (3.0, 30.0, ["heat_pump_ventilation_swapped"]),
        (5.0, 4.0, ["ventilation_out_of_band"]),
        (6.0, 1.5, []),
    ],
)
async def test_validation_judges_the_recorded_amounts(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    modbus_server: ModbusTcpPeer,
    heat_pump: float,
    ventilation: float,
    correctness: list[str],
) -> None:
    """Heat pump 30 kWh against ventilation 300 kWh is swapped; 50 against 40 is no swap.

    (40 kWh is above the ventilation's day-10 bandwidth of 1-20 kWh; 60 and 15 pass.)
    """
    entry = await set_up_home(hass, p1_server, modbus_server)
    await record_home(hass, heat_pump=heat_pump, ventilation=ventilation)
    now = START + timedelta(days=12)

    amounts = await async_meter_amounts(hass, entry, START, now, {})
    validation = validate(home_snapshot(entry, now, START, amounts))

    found = [
        f.code
        for f in validation.findings
        if f.category in {"data_correctness", "common_fault"} and f.code != "wrong_aes_key"
    ]
    assert found == correctness
    assert "data_correctness" not in validation.pending
