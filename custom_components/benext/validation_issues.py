"""The validation's findings as repair issues: raised once due, cleared when gone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from homeassistant.core import HomeAssistant

from .domain.validation.findings import Finding
from .runtime import BeNextConfigEntry

# Every validation issue's id starts with this, then the entry id and the finding's id.
VALIDATION_ISSUE: Final = "validation_"


async def async_update_validation_issues(
    hass: HomeAssistant, entry: BeNextConfigEntry, due: Sequence[Finding]
) -> None:
    """Raise an issue for each due finding; delete the installation's others."""
