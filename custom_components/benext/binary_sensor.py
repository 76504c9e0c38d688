"""Binary sensors: one connectivity sensor per bus, like the gateway's bus LEDs, and alarms."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .bus.connection import Bus
from .coordinator import BusCoordinator
from .domain.hub_status import BusCondition
from .domain.validation.verdict import Verdict
from .entity import BeNextHubEntity
from .meter_buses import METER_BUSES
from .runtime import BeNextConfigEntry
from .validation_entity import BeNextValidationEntity

PARALLEL_UPDATES = 0

BUS_CONNECTIVITY: dict[Bus, BinarySensorEntityDescription] = {
    bus: BinarySensorEntityDescription(
        key=f"{bus}_connectivity",
        translation_key=f"{bus}_connectivity",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
    )
    for bus in Bus
}

INSTALLATION_VALID = BinarySensorEntityDescription(
    key="installation_valid",
    translation_key="installation_valid",
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BeNextConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up a connectivity sensor for each configured bus, and the meters' binary sensors."""
    async_add_entities(
        BusConnectivitySensor(coordinator, entry)
        for coordinator in entry.runtime_data.buses.values()
        if coordinator.has_connection
    )
    async_add_entities([InstallationValidSensor(entry)])
    for bus, coordinator in entry.runtime_data.buses.items():
        METER_BUSES[bus].async_add_entities(
            hass, entry, coordinator, Platform.BINARY_SENSOR, async_add_entities
        )


class BusConnectivitySensor(BeNextHubEntity, BinarySensorEntity):
    """Whether a bus of the installation can be reached."""

    def __init__(self, coordinator: BusCoordinator, entry: BeNextConfigEntry) -> None:
        """Initialize the sensor of one bus."""
        self.entity_description = BUS_CONNECTIVITY[coordinator.bus]
        super().__init__(entry, self.entity_description.key, [coordinator])
        self._coordinator = coordinator

    @property
    def is_on(self) -> bool | None:
        """Whether the bus answered its last check; unknown until a push bus is first heard."""
        if self._coordinator.condition is BusCondition.WAITING:
            return None
        return self._coordinator.last_update_success


class InstallationValidSensor(BeNextValidationEntity, BinarySensorEntity):
    """Whether the installation passes every check of BeNext's validation."""

    entity_description = INSTALLATION_VALID

    def __init__(self, entry: BeNextConfigEntry) -> None:
        """Initialize the sensor on the hub device."""
        super().__init__(entry, INSTALLATION_VALID.key)

    @property
    def is_on(self) -> bool | None:
        """On when every category passed; unknown before the first validation."""
        verdict = self.validation.verdict()
        return verdict is Verdict.PASSED if verdict is not None else None
