"""A wireless M-Bus meter's device, and how its entities are added as its telegrams show more."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..bus.wmbus.drivers import driver_info
from ..entity import meter_device
from ..runtime import BeNextConfigEntry
from .coordinator import WmbusCoordinator, WmbusMeter
from .settings import WmbusMeterSettings


def wmbus_device_info(entry: BeNextConfigEntry, subentry: ConfigSubentry) -> DeviceInfo:
    """The meter's device: maker and model from its driver, its id as serial number."""
    settings = WmbusMeterSettings.from_subentry(subentry)
    driver = driver_info(settings.effective_driver)
    info = meter_device(entry, subentry)
    info["manufacturer"] = driver.manufacturer
    info["model"] = driver.model
    info["model_id"] = driver.driver
    info["serial_number"] = settings.meter_id
    return info


def wmbus_meter_entity_args(
    entry: BeNextConfigEntry, meter: WmbusMeter
) -> tuple[ConfigSubentry, DeviceInfo]:
    """The meter's subentry and device info, built once and shared by its entities."""
    subentry = entry.subentries[meter.subentry_id]
    if meter.device_info is None:
        meter.device_info = wmbus_device_info(entry, subentry)
    return subentry, meter.device_info


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
