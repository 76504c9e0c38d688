"""Diagnostics: useful to an installer, with every address, key and serial redacted."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from . import setup_integration

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

    # The peers' loopback ports change from run to run.
    assert diagnostics == snapshot(exclude=props("port"))
    assert "127.0.0.1" not in str(diagnostics)
