"""Buttons: the installer restarts the validation's count from now."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .runtime import BeNextConfigEntry
from .validation_entity import BeNextValidationEntity

PARALLEL_UPDATES = 0

RESET_VALIDATION_START = ButtonEntityDescription(
    key="reset_validation_start",
    translation_key="reset_validation_start",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BeNextConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the hub's button that resets the validation start."""
    async_add_entities([ResetValidationStartButton(entry)])


class ResetValidationStartButton(BeNextValidationEntity, ButtonEntity):
    """Counts day 1 and day 10 afresh from now, as after a fresh installation."""

    entity_description = RESET_VALIDATION_START

    def __init__(self, entry: BeNextConfigEntry) -> None:
        """Initialize the button on the hub device."""
        super().__init__(entry, RESET_VALIDATION_START.key)

    async def async_press(self) -> None:
        """Start counting from now, and validate."""
        await self.validation.async_reset_start()
