"""Diagnostics: useful to an installer, with every address, key and serial redacted."""

from __future__ import annotations

from dataclasses import replace

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from tests import setup_integration
from tests.wmbus_fixtures import WMBUS_FIXTURES
from tests.wmbus_helpers import meter_of
from tests.wmbus_peers import TOKEN, WEBHOOK_ID, wmbus_entry

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics of an installation with both buses up."""
    assert await setup_integration(hass, mock_config_entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)

    # The peers' loopback ports, and the moments the validation ran, change from run to run.
    assert diagnostics == snapshot(
        exclude=props("port", "validation_start", "uninterrupted_since", "last_run")
    )
    assert "127.0.0.1" not in str(diagnostics)


async def test_wmbus_diagnostics_redact_ids_keys_and_the_endpoint(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """The endpoint's id, its token, meter ids and keys never leave in diagnostics."""
    # The real encrypted Multical 21, with its key.
    meter = replace(meter_of(WMBUS_FIXTURES[0]), subentry_id="water_meter")
    entry = wmbus_entry([meter])
    assert await setup_integration(hass, entry)
    coordinator = entry.runtime_data.buses["wmbus"]
    coordinator.async_handle({**WMBUS_FIXTURES[0].expected, "timestamp": "2026-11-22T10:00:00Z"})
    coordinator.async_handle({"_": "telegram", "meter": "x", "id": "12"})

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    text = str(diagnostics)
    for secret in (WEBHOOK_ID, TOKEN, meter.meter_id, str(meter.key)):
        assert secret not in text
    wmbus = diagnostics["buses"]["wmbus"]
    assert wmbus["telegrams"] == {"accepted": 1, "invalid": 1}
    assert wmbus["meters"][meter.subentry_id]["driver"] == "multical21"
    assert wmbus["meters"][meter.subentry_id]["available"] is True
