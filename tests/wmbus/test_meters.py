"""wM-Bus meters through their entities: the real wmbusmeters posts to the installation."""

from __future__ import annotations

from dataclasses import replace

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import UnitOfEnergy
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.util.unit_conversion import EnergyConverter
import pytest

from custom_components.benext.const import DOMAIN
from custom_components.benext.wmbus.descriptions import _battery_volts, kwh_as_gj
from tests import setup_integration
from tests.wmbus_fixtures import WMBUS_FIXTURES, WmbusFixture, fixture_id
from tests.wmbus_helpers import ClientFactory, endpoint_url, meter_of, state_of
from tests.wmbus_peers import async_post_with_wmbusmeters, wmbus_entry

pytestmark = pytest.mark.usefixtures("socket_enabled", "entity_registry_enabled_by_default")

ENVELOPE = {"_", "media", "meter", "name", "id", "timestamp"}


@pytest.mark.parametrize("fixture", WMBUS_FIXTURES, ids=fixture_id)
async def test_every_fixture_value_reaches_its_entity(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory, fixture: WmbusFixture
) -> None:
    """Each number wmbusmeters decodes from a real telegram is a sensor's state."""
    entry = wmbus_entry([meter_of(fixture)])
    assert await setup_integration(hass, entry)
    url = await endpoint_url(hass, hass_client_no_auth)

    await async_post_with_wmbusmeters(url, [fixture])
    await hass.async_block_till_done()

    numbers = {
        name: value
        for name, value in fixture.expected.items()
        if name not in ENVELOPE and isinstance(value, int | float)
    }
    if fixture.driver == "multical21" and numbers.get("flow_temperature_c") == 127:
        # The meter has no such sensor (wmbusmeters issues #53, #490): no entity for it.
        assert state_of(hass, "sensor", fixture.meter_id, "flow_temperature_c") is None
        del numbers["flow_temperature_c"]
    assert numbers
    for name, value in numbers.items():
        state = state_of(hass, "sensor", fixture.meter_id, name)
        assert state is not None, name
        shown = float(value)
        if name.endswith("_kwh"):
            # Heat energy is shown in GJ, as Dutch heat meters show it.
            unit = state.attributes.get("unit_of_measurement")
            shown = EnergyConverter.convert(shown, UnitOfEnergy.KILO_WATT_HOUR, unit)
        assert float(state.state) == pytest.approx(shown, abs=1e-6), name


async def test_auto_driver_meter_shows_its_kind_once_heard(
    hass: HomeAssistant, hass_client_no_auth: ClientFactory
) -> None:
    """A meter added as "auto" gets its maker, model and alarms from its first telegram."""
    fixture = WMBUS_FIXTURES[3]  # Multical 21 with a LEAK
    meter = replace(meter_of(fixture), driver="auto")
    entry = wmbus_entry([meter])
    assert await setup_integration(hass, entry)
    assert state_of(hass, "binary_sensor", fixture.meter_id, "leak_alarm") is None
    url = await endpoint_url(hass, hass_client_no_auth)

    await async_post_with_wmbusmeters(url, [fixture])
    await hass.async_block_till_done()

    leak = state_of(hass, "binary_sensor", fixture.meter_id, "leak_alarm")
    assert leak is not None
    assert leak.state == "on"
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, meter.subentry_id), entry.entry_id
    )
    assert device is not None
    assert (device.manufacturer, device.model) == ("Kamstrup", "Multical 21")
    stored = entry.subentries[meter.subentry_id].data
    assert stored["detected_driver"] == "multical21"
    assert "total_m3" in stored["fields"]
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.parametrize(
    ("text", "volts"),
    [
        ("BATTERY_330", 3.3),
        ("BATTERY_3\u00b30", None),
        ("BATTERY_\u0663\u0663\u0660", None),
        ("BATTERY_", None),
        ("OK", None),
        (None, None),
    ],
)
def test_battery_volts(text: str | None, volts: float | None) -> None:
    """Only ASCII digits are a battery voltage; anything else is no value, never an error."""
    assert _battery_volts(text) == volts


@pytest.mark.parametrize(
    ("role", "device_class", "name"),
    [
        ("space_heating", "volume", "Circulation volume"),
        ("hot_tap_water", "water", "Volume"),
    ],
)
async def test_a_heat_meters_volume_is_water_only_on_the_hot_tap_water_line(
    hass: HomeAssistant,
    hass_client_no_auth: ClientFactory,
    role: str,
    device_class: str,
    name: str,
) -> None:
    """A heating circuit's water is no household water: the Energy dashboard won't offer it."""
    fixture = next(f for f in WMBUS_FIXTURES if f.driver == "qualcosonic")
    entry = wmbus_entry([replace(meter_of(fixture), role=role)])
    assert await setup_integration(hass, entry)
    await async_post_with_wmbusmeters(await endpoint_url(hass, hass_client_no_auth), [fixture])
    await hass.async_block_till_done()

    volume = state_of(hass, "sensor", fixture.meter_id, "total_m3")
    assert volume is not None
    assert volume.attributes["device_class"] == device_class
    assert volume.attributes["state_class"] == "total_increasing"
    assert volume.attributes["friendly_name"].endswith(f" {name}")


@pytest.mark.parametrize(
    ("kwh", "gj"),
    [(13336.11, 48.009996), (13339, 48.0204), (0.001, 0.0000036), (None, None), ("x", None)],
)
def test_heat_energy_in_gj_keeps_the_meters_resolution(kwh: object, gj: float | None) -> None:
    """1 kWh is 0.0036 GJ exactly: no float artefact such as 48.009996000000004 in the state."""
    assert kwh_as_gj(kwh) == gj
    if gj is not None:
        assert repr(kwh_as_gj(kwh)) == repr(gj)
