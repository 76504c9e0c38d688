"""The base of the hub's validation entities: updated after every validation."""

from __future__ import annotations

from .entity import BeNextHubEntity
from .installation_validation import InstallationValidation
from .runtime import BeNextConfigEntry


class BeNextValidationEntity(BeNextHubEntity):
    """An entity of the hub that shows the installation's validation."""

    def __init__(self, entry: BeNextConfigEntry, key: str) -> None:
        """Initialize the entity on the hub device."""
        super().__init__(entry, key, ())
        self.validation: InstallationValidation = entry.runtime_data.validation

    async def async_added_to_hass(self) -> None:
        """Follow the validation's runs."""
        await super().async_added_to_hass()
        self.async_on_remove(self.validation.async_add_listener(self.async_write_ha_state))
