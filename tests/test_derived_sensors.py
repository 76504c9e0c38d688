"""The hub's derived energy: household and building-related totals, the NOM balance, EPV."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from tests import setup_integration
from tests.derived_helpers import (
    BUILDING,
    EPV_ON_TRACK,
    EPV_REMAINING,
    EPV_USED,
    HEAT_PUMP,
    HOUSEHOLD,
    NOM_BALANCE,
    NOM_ON_TRACK,
    PV,
    VENTILATION,
    derived_home,
    set_energy,
    telegram,
)
from tests.p1_helpers import state_of
from tests.peers import P1TelegramServer

# The fixture's totals: imported 4.426 + 2.399 kWh (tariffs 1 and 2), exported 2.444 kWh.
IMPORT_T1, EXPORT_T1 = 4.426, 2.444
STEP = timedelta(minutes=20)


def start_inputs(hass: HomeAssistant) -> None:
    """The PV, heat pump and ventilation totals before anything is counted."""
    set_energy(hass, PV, "200.0")
    set_energy(hass, HEAT_PUMP, "30.0")
    set_energy(hass, VENTILATION, "10.0")


async def until(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, shown: Callable[[], bool]
) -> None:
    """Let the smart meter send a telegram a second (on the frozen clock) until `shown`."""
    for _ in range(120):
        if shown():
            return
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)
        for _ in range(20):
            await asyncio.sleep(0)
        await hass.async_block_till_done()
    assert shown()


def p1_shows(hass: HomeAssistant, key: str, value: float) -> Callable[[], bool]:
    """Whether the smart meter's sensor `key` shows `value`."""

    def shown() -> bool:
        current = state_of(hass, key)
        return current is not None and current.state == str(value)

    return shown


async def set_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> None:
    """Set the home up and wait for its smart meter's first telegram."""
    start_inputs(hass)
    assert await setup_integration(hass, entry)
    await until(hass, freezer, p1_shows(hass, "energy_import_t1", IMPORT_T1))


async def grid(
    hass: HomeAssistant,
    server: P1TelegramServer,
    freezer: FrozenDateTimeFactory,
    imported: float,
    exported: float,
) -> None:
    """20 minutes on, the smart meter's tariff 1 totals have moved; wait until it shows them.

    The 20 minutes make the rise one the home's connection can carry (the total guard).
    """
    freezer.tick(STEP)
    server.telegram = telegram(imported, exported)
    await until(hass, freezer, p1_shows(hass, "energy_export_t1", exported))
    await until(hass, freezer, p1_shows(hass, "energy_import_t1", imported))


def state(hass: HomeAssistant, entity_id: str) -> str:
    """What the entity shows."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current.state


async def test_household_and_building_worked_by_hand(
    hass: HomeAssistant, p1_server: P1TelegramServer, freezer: FrozenDateTimeFactory
) -> None:
    """Imported 3, exported 1, produced 4, heat pump 2 and ventilation 0.5 kWh.

    Household: 3 - 1 + 4 - 2 - 0.5 = 3.5 kWh; building-related: 2 + 0.5 = 2.5 kWh.
    """
    await set_up(hass, freezer, derived_home(p1_server))
    assert state(hass, HOUSEHOLD) == "0.0"
    assert state(hass, BUILDING) == "0.0"
    assert state(hass, NOM_ON_TRACK) == "unknown"
    attributes = hass.states.get(HOUSEHOLD).attributes
    assert attributes["state_class"] == "total_increasing"
    assert attributes["device_class"] == "energy"
    assert attributes["unit_of_measurement"] == "kWh"

    set_energy(hass, PV, "204.0")
    set_energy(hass, HEAT_PUMP, "32.0")
    set_energy(hass, VENTILATION, "10.5")
    await grid(hass, p1_server, freezer, IMPORT_T1 + 3, EXPORT_T1 + 1)

    assert state(hass, HOUSEHOLD) == "3.5"
    assert state(hass, BUILDING) == "2.5"
    assert state(hass, NOM_BALANCE) == "2.0"


async def test_a_missing_input_pauses_the_totals(
    hass: HomeAssistant, p1_server: P1TelegramServer, freezer: FrozenDateTimeFactory
) -> None:
    """The ventilation's sensor goes unavailable: no drop, and when back, no jump.

    While it is gone the heat pump uses 1 kWh and the grid gives 1.5 kWh: nothing is
    counted. Back at 10.5 kWh, the whole gap counts once: 1.5 - 1 - 0.5 = 0 kWh household,
    1.5 kWh building-related.
    """
    await set_up(hass, freezer, derived_home(p1_server))
    set_energy(hass, HEAT_PUMP, "31.0")
    await grid(hass, p1_server, freezer, IMPORT_T1 + 1, EXPORT_T1)
    assert state(hass, HOUSEHOLD) == "0.0"
    assert state(hass, BUILDING) == "1.0"

    hass.states.async_set(VENTILATION, "unavailable")
    set_energy(hass, HEAT_PUMP, "32.0")
    await grid(hass, p1_server, freezer, IMPORT_T1 + 2.5, EXPORT_T1)
    assert state(hass, HOUSEHOLD) == "0.0"
    assert state(hass, BUILDING) == "1.0"

    set_energy(hass, VENTILATION, "10.5")
    await hass.async_block_till_done()
    assert state(hass, HOUSEHOLD) == "0.0"
    assert state(hass, BUILDING) == "2.5"

    await grid(hass, p1_server, freezer, IMPORT_T1 + 4.5, EXPORT_T1)
    assert state(hass, HOUSEHOLD) == "2.0"


async def test_a_dip_is_never_shown(
    hass: HomeAssistant, p1_server: P1TelegramServer, freezer: FrozenDateTimeFactory
) -> None:
    """The heat pump's total moves before the grid's import: the household does not drop."""
    await set_up(hass, freezer, derived_home(p1_server))
    await grid(hass, p1_server, freezer, IMPORT_T1 + 2, EXPORT_T1)
    assert state(hass, HOUSEHOLD) == "2.0"

    set_energy(hass, HEAT_PUMP, "31.5")
    await hass.async_block_till_done()
    assert state(hass, HOUSEHOLD) == "2.0"

    await grid(hass, p1_server, freezer, IMPORT_T1 + 4, EXPORT_T1)
    assert state(hass, HOUSEHOLD) == "2.5"


async def test_a_restart_resumes_the_totals(
    hass: HomeAssistant, p1_server: P1TelegramServer, freezer: FrozenDateTimeFactory
) -> None:
    """After a restart the totals go on from where they were, counting what came meanwhile."""
    entry = derived_home(p1_server)
    await set_up(hass, freezer, entry)
    set_energy(hass, HEAT_PUMP, "31.0")
    await grid(hass, p1_server, freezer, IMPORT_T1 + 3, EXPORT_T1)
    assert state(hass, HOUSEHOLD) == "2.0"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    set_energy(hass, HEAT_PUMP, "32.0")
    freezer.tick(STEP)
    p1_server.telegram = telegram(IMPORT_T1 + 5, EXPORT_T1)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, HOUSEHOLD) in ("2.0", "3.0")

    await until(hass, freezer, lambda: state(hass, HOUSEHOLD) == "3.0")
    assert state(hass, BUILDING) == "2.0"


async def test_the_nom_balance_starts_again_on_1_january(
    hass: HomeAssistant, p1_server: P1TelegramServer, freezer: FrozenDateTimeFactory
) -> None:
    """On 31 December the home is 2 kWh net; at midnight the balance is 0 for the new year."""
    zone = dt_util.get_default_time_zone()
    freezer.move_to(datetime(2026, 12, 31, 23, tzinfo=zone))
    await set_up(hass, freezer, derived_home(p1_server))
    await grid(hass, p1_server, freezer, IMPORT_T1 + 3, EXPORT_T1 + 1)
    assert state(hass, NOM_BALANCE) == "2.0"
    balance = hass.states.get(NOM_BALANCE)
    assert balance.attributes["state_class"] == "total"
    assert balance.attributes["last_reset"] == datetime(2026, 1, 1, tzinfo=zone).isoformat()

    new_year = datetime(2027, 1, 1, tzinfo=zone)
    freezer.move_to(new_year)
    async_fire_time_changed(hass, new_year)
    await hass.async_block_till_done()

    balance = hass.states.get(NOM_BALANCE)
    assert balance.state == "0.0"
    assert balance.attributes["last_reset"] == new_year.isoformat()
    assert state(hass, HOUSEHOLD) == "2.0"  # the total runs on

    await grid(hass, p1_server, freezer, IMPORT_T1 + 3, EXPORT_T1 + 2.5)
    assert state(hass, NOM_BALANCE) == "-1.5"
    assert state(hass, NOM_ON_TRACK) == "on_track"


async def test_nom_off_track_in_spring(
    hass: HomeAssistant, p1_server: P1TelegramServer, freezer: FrozenDateTimeFactory
) -> None:
    """On 1 April, 10 kWh imported and 1 kWh exported since 1 January is off track.

    Projected: 10 / (91 / 365) = 40 kWh imported, 1 / 0.151 = 6.6 kWh exported.
    """
    freezer.move_to(datetime(2026, 4, 1, 12, tzinfo=dt_util.get_default_time_zone()))
    await set_up(hass, freezer, derived_home(p1_server))
    await grid(hass, p1_server, freezer, IMPORT_T1 + 10, EXPORT_T1 + 1)

    assert state(hass, NOM_BALANCE) == "9.0"
    assert state(hass, NOM_ON_TRACK) == "off_track"


async def test_epv_budget_used_remaining_and_on_track(
    hass: HomeAssistant, p1_server: P1TelegramServer, freezer: FrozenDateTimeFactory
) -> None:
    """A 20 kWh budget on 1 July (day 182 of 365): 9.97 kWh is the budget's share so far."""
    freezer.move_to(datetime(2026, 7, 1, 12, tzinfo=dt_util.get_default_time_zone()))
    await set_up(hass, freezer, derived_home(p1_server, options={"epv_budget": 20}))
    assert state(hass, EPV_USED) == "0.0"
    assert state(hass, EPV_REMAINING) == "20.0"

    await grid(hass, p1_server, freezer, IMPORT_T1 + 9, EXPORT_T1)
    assert state(hass, EPV_USED) == "9.0"
    assert state(hass, EPV_REMAINING) == "11.0"
    assert state(hass, EPV_ON_TRACK) == "on_track"

    await grid(hass, p1_server, freezer, IMPORT_T1 + 11, EXPORT_T1)
    assert state(hass, EPV_REMAINING) == "9.0"
    assert state(hass, EPV_ON_TRACK) == "off_track"


async def test_the_budget_is_an_option(
    hass: HomeAssistant, p1_server: P1TelegramServer, freezer: FrozenDateTimeFactory
) -> None:
    """Setting the EPV budget in the installation's options adds its sensors."""
    entry = derived_home(p1_server)
    await set_up(hass, freezer, entry)
    assert hass.states.get(EPV_REMAINING) is None

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"p1_power_interval": 0, "p1_total_interval": 0, "epv_budget": 2500}
    )
    await hass.async_block_till_done()

    assert entry.options["epv_budget"] == 2500
    assert state(hass, EPV_REMAINING) == "2500.0"


async def test_no_epv_sensors_without_a_budget(
    hass: HomeAssistant, p1_server: P1TelegramServer, freezer: FrozenDateTimeFactory
) -> None:
    """Without a budget in the options there is nothing to show of it."""
    await set_up(hass, freezer, derived_home(p1_server))
    assert hass.states.get(EPV_USED) is None
    assert hass.states.get(EPV_ON_TRACK) is None


async def test_without_a_smart_meter_only_the_building_total_exists(
    hass: HomeAssistant, p1_server: P1TelegramServer, hass_client: ClientSessionGenerator
) -> None:
    """No grid: no household, NOM or EPV; the diagnostics say the grid is what is missing."""
    entry = derived_home(p1_server, grid=False, options={"epv_budget": 2500})
    start_inputs(hass)
    assert await setup_integration(hass, entry)

    assert hass.states.get(HOUSEHOLD) is None
    assert hass.states.get(NOM_BALANCE) is None
    assert hass.states.get(EPV_USED) is None
    set_energy(hass, HEAT_PUMP, "31.0")
    await hass.async_block_till_done()
    assert state(hass, BUILDING) == "1.0"

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["derived_sensors_missing"] == {
        "household": ["grid"],
        "nom": ["grid"],
        "epv": ["grid"],
    }


async def test_a_deleted_installation_forgets_its_derived_energy(
    hass: HomeAssistant,
    p1_server: P1TelegramServer,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """The stored ledger goes with the installation."""
    entry = derived_home(p1_server)
    await set_up(hass, freezer, entry)
    await grid(hass, p1_server, freezer, IMPORT_T1 + 1, EXPORT_T1)
    assert await hass.config_entries.async_unload(entry.entry_id)
    key = f"benext.{entry.entry_id}.derived_energy"
    assert hass_storage[key]["data"]["household_shown"] == 1.0

    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()

    assert key not in hass_storage
