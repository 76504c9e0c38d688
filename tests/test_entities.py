"""Every entity of an installation, as a user sees it (snapshots per platform)."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.benext.coordinator import MeterReading
from tests import setup_integration

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platform", [Platform.BINARY_SENSOR, Platform.BUTTON, Platform.SENSOR])
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    mock_config_entry: MockConfigEntry,
    platform: Platform,
    monkeypatch: pytest.MonkeyPatch,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The hub's bus sensors and status, and each meter's sensors (all of them enabled)."""
    freezer.move_to("2026-12-02T10:00:00+00:00")
    monkeypatch.setattr("custom_components.benext.PLATFORMS", [platform])
    assert await setup_integration(hass, mock_config_entry)

    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


@pytest.mark.parametrize(
    ("main_values", "age", "expected"),
    [
        ((1234.5, 0.0), timedelta(seconds=5), "ok"),
        ((0.0, 0.0), timedelta(seconds=5), "reads_zero"),
        ((None, None), timedelta(seconds=5), "no_data"),
        ((1234.5, 0.0), timedelta(minutes=10), "no_data"),
    ],
)
async def test_product_status_follows_readings(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    main_values: tuple[float | None, ...],
    age: timedelta,
    expected: str,
) -> None:
    """The tick shows what a bus reader last stored for the meter."""
    assert await setup_integration(hass, mock_config_entry)
    coordinator = mock_config_entry.runtime_data.buses["modbus"]

    state = coordinator.data
    state.meters["meter_pv"] = MeterReading(dt_util.utcnow() - age, {}, main_values)
    coordinator.async_set_updated_data(state)
    await hass.async_block_till_done()

    assert hass.states.get("sensor.pv_modbus_2_product_status").state == expected
