"""How a wireless M-Bus meter's entities are added as its telegrams show more."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import WmbusCoordinator, WmbusMeter


@callback
def async_add_meter_entities(
    coordinator: WmbusCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[WmbusMeter], Sequence[Entity]],
) -> None:
    """Add each meter's entities now, and those a later telegram makes possible."""
    # The description keys (which make the unique ids) of each meter's entities added so
    # far: strings the descriptions hold anyway, and no entry for a meter with none.
    added: dict[str, tuple[str, ...]] = {}

    @callback
    def add(meter: WmbusMeter) -> None:
        known = added.get(meter.subentry_id, ())
        new = [entity for entity in build(meter) if entity.entity_description.key not in known]
        if new:
            added[meter.subentry_id] = (*known, *(entity.entity_description.key for entity in new))
            async_add_entities(new, config_subentry_id=meter.subentry_id)

    coordinator.async_add_entity_adder(add)
