"""The base of a wireless M-Bus meter's entities, and how they are added as the meter shows them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..entity import BeNextMeterEntity
from ..runtime import BeNextConfigEntry
from .coordinator import WmbusCoordinator, WmbusMeter
from .device import wmbus_device_info


class WmbusEntity(BeNextMeterEntity[WmbusCoordinator]):
    """An entity of one wM-Bus meter, told only when that meter's telegram is accepted."""

    def __init__(
        self,
        coordinator: WmbusCoordinator,
        entry: BeNextConfigEntry,
        meter: WmbusMeter,
        key: str,
    ) -> None:
        """Initialize the entity on the meter's device."""
        subentry = entry.subentries[meter.subentry_id]
        if meter.device_info is None:
            meter.device_info = wmbus_device_info(entry, subentry)
        super().__init__(coordinator, subentry, key, meter.device_info)
        self.meter = meter
        self._was_available: bool | None = None

    async def async_added_to_hass(self) -> None:
        """Follow the meter's telegrams, and show the last one if there is one."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_meter_listener(
                self.meter.settings.meter_id, self._async_telegram_accepted
            )
        )
        if self.meter.telegram is not None:
            self._update_from_telegram()

    @callback
    def _async_telegram_accepted(self) -> None:
        if self._update_from_telegram():
            # A first value makes the entity available: the bus's updates need not repeat it.
            self._was_available = self.available
            self.async_write_ha_state()

    def _update_from_telegram(self) -> bool:
        """Take the meter's last telegram; whether what the entity shows changed."""
        raise NotImplementedError

    @callback
    def _handle_coordinator_update(self) -> None:
        # The bus's periodic updates only matter when they change whether the meter is current.
        if self.available != self._was_available:
            self._was_available = self.available
            self.async_write_ha_state()

    @property
    def available(self) -> bool:
        """Available while the meter keeps sending, whatever the other meters do."""
        return self.coordinator.is_current(self.meter)


@callback
def async_add_meter_entities(
    coordinator: WmbusCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[WmbusMeter], Sequence[Entity]],
) -> None:
    """Add each meter's entities now, and those a later telegram makes possible."""
    added: dict[str, set[str | None]] = {}

    @callback
    def add(meter: WmbusMeter) -> None:
        known = added.setdefault(meter.subentry_id, set())
        new = [entity for entity in build(meter) if entity.unique_id not in known]
        if new:
            known.update(entity.unique_id for entity in new)
            async_add_entities(new, config_subentry_id=meter.subentry_id)

    coordinator.async_add_entity_adder(add)
