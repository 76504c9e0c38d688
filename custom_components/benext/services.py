"""The integration's actions: an installation's validation, its start, its Energy dashboard."""

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
import probatio

from .const import DOMAIN
from .energy_dashboard import async_add_to_energy_dashboard, plan_response
from .period_export import (
    ATTR_END,
    ATTR_NAME,
    ATTR_START,
    EXPORT_PERIOD_SCHEMA,
    SERVICE_EXPORT_PERIOD,
    async_export_period,
)
from .runtime import BeNextConfigEntry
from .validation_response import validation_response

SERVICE_VALIDATE: Final = "validate"
SERVICE_RESET_VALIDATION_START: Final = "reset_validation_start"
SERVICE_ADD_TO_ENERGY_DASHBOARD: Final = "add_to_energy_dashboard"
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
    hass.services.async_register(
        DOMAIN,
        SERVICE_RESET_VALIDATION_START,
        _async_reset_validation_start,
        schema=VALIDATE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_EXPORT_PERIOD,
        _async_export_period,
        schema=EXPORT_PERIOD_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_ADD_TO_ENERGY_DASHBOARD,
        _async_add_to_energy_dashboard,
        schema=VALIDATE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )


async def _async_validate(call: ServiceCall) -> ServiceResponse:
    """Validate one installation as it stands now: every finding, at once."""
    entry = _loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    validation = entry.runtime_data.validation
    return validation_response(entry, validation, await validation.async_validate())


async def _async_reset_validation_start(call: ServiceCall) -> ServiceResponse:
    """Count day 1 and day 10 afresh from now; the validation that follows, if asked."""
    entry = _loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    validation = entry.runtime_data.validation
    found = await validation.async_reset_start()
    return validation_response(entry, validation, found) if call.return_response else None


async def _async_export_period(call: ServiceCall) -> ServiceResponse:
    """What each meter counted in a period, written as CSV; the figures, if asked."""
    entry = _loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    response = await async_export_period(
        call.hass, entry, call.data[ATTR_START], call.data[ATTR_END], call.data.get(ATTR_NAME)
    )
    return response if call.return_response else None


async def _async_add_to_energy_dashboard(call: ServiceCall) -> ServiceResponse:
    """Add the installation's meters to the Energy dashboard; what was added and skipped."""
    entry = _loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    plan = await async_add_to_energy_dashboard(call.hass, entry)
    return plan_response(plan) if call.return_response else None


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
