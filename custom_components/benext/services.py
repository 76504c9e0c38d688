"""The integration's actions: `benext.validate`, an installation's verdict and findings."""

from __future__ import annotations

from typing import Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_CONFIG_ENTRY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import probatio

from .const import DOMAIN
from .domain.validation.validate import validate
from .runtime import BeNextConfigEntry
from .validation_response import validation_response
from .validation_snapshot import home_snapshot

SERVICE_VALIDATE: Final = "validate"
VALIDATE_SCHEMA: Final = probatio.Schema({probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string})


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions, once for every installation."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_VALIDATE,
        _async_validate,
        schema=VALIDATE_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )


async def _async_validate(call: ServiceCall) -> ServiceResponse:
    """Validate one installation as it stands now."""
    entry = _loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    return validation_response(entry, validate(home_snapshot(entry, dt_util.utcnow())))


def _loaded_entry(hass: HomeAssistant, entry_id: str) -> BeNextConfigEntry:
    """The installation of `entry_id`, which must be ours and loaded."""
    entry: BeNextConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="installation_not_found",
            translation_placeholders={"entry_id": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="installation_not_loaded",
            translation_placeholders={"installation": entry.title},
        )
    return entry
