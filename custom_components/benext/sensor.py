"""Sensors: the installation's overall status, each meter's BeNext tick, and every bus's values."""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity
from homeassistant.util import dt as dt_util

from .coordinator import BusCoordinator, MeterReading
from .derived_sensor import async_add_derived_sensors
from .domain.hub_status import HubStatus
from .domain.product_status import ProductStatus
from .domain.validation.findings import Category
from .domain.validation.verdict import Verdict
from .entity import BeNextHubEntity, MeterReadingFollower
from .meter_buses import METER_BUSES, loaded_meters
from .runtime import BeNextConfigEntry, BeNextRuntimeData
from .validation_entity import BeNextValidationEntity

PARALLEL_UPDATES = 0

HUB_STATUS = SensorEntityDescription(
    key="status",
    translation_key="status",
    device_class=SensorDeviceClass.ENUM,
    options=[status.value for status in HubStatus],
)

PRODUCT_STATUS_VALUES = frozenset(status.value for status in ProductStatus)
PRODUCT_STATUS = SensorEntityDescription(
    key="product_status",
    translation_key="product_status",
    device_class=SensorDeviceClass.ENUM,
    entity_category=EntityCategory.DIAGNOSTIC,
    options=[status.value for status in ProductStatus],
)

VALIDATION_DATE = SensorEntityDescription(
    key="validation_date",
    translation_key="validation_date",
    device_class=SensorDeviceClass.TIMESTAMP,
)
VALIDATION_START = SensorEntityDescription(
    key="validation_start",
    translation_key="validation_start",
    device_class=SensorDeviceClass.TIMESTAMP,
    entity_category=EntityCategory.DIAGNOSTIC,
)
CATEGORY_VERDICTS = {
    category: SensorEntityDescription(
        key=f"validation_{category}",
        translation_key=f"validation_{category}",
        device_class=SensorDeviceClass.ENUM,
        entity_category=EntityCategory.DIAGNOSTIC,
        options=[verdict.value for verdict in Verdict],
    )
    for category in Category
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BeNextConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the hub's status sensor, each meter's tick, and the sensors of every bus."""
    runtime = entry.runtime_data
    async_add_entities(
        [
            HubStatusSensor(entry, runtime),
            ValidationDateSensor(entry, VALIDATION_DATE),
            ValidationStartSensor(entry, VALIDATION_START),
            *(CategoryVerdictSensor(entry, category) for category in Category),
        ]
    )
    for subentry, meter_bus, coordinator in loaded_meters(entry):
        async_add_entities(
            [
                ProductStatusSensor(
                    coordinator, subentry, meter_bus.meter_device_info(entry, subentry)
                )
            ],
            config_subentry_id=subentry.subentry_id,
        )
    for bus, coordinator in runtime.buses.items():
        METER_BUSES[bus].async_add_entities(
            hass, entry, coordinator, Platform.SENSOR, async_add_entities
        )
    await async_add_derived_sensors(hass, entry, async_add_entities)


class HubStatusSensor(BeNextHubEntity, SensorEntity):
    """Overall status of the installation, as the gateway's Status LED shows it."""

    entity_description = HUB_STATUS

    def __init__(self, entry: BeNextConfigEntry, runtime: BeNextRuntimeData) -> None:
        """Initialize the status sensor, which follows every bus."""
        super().__init__(entry, HUB_STATUS.key, runtime.buses.values())
        self._runtime = runtime

    @property
    def native_value(self) -> str:
        """The overall status."""
        return self._runtime.status.value


class ValidationDateSensor(BeNextValidationEntity, SensorEntity):
    """When every check had passed on 14 days of uninterrupted data: BeNext's sign-off."""

    def __init__(self, entry: BeNextConfigEntry, description: SensorEntityDescription) -> None:
        """Initialize the sensor on the hub device."""
        super().__init__(entry, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> datetime | None:
        """The validation date; unknown until it is reached."""
        return self.validation.validation_date


class ValidationStartSensor(ValidationDateSensor):
    """From when day 1 and day 10 are counted; the installer can reset it."""

    @property
    def native_value(self) -> datetime | None:
        """The validation start."""
        return self.validation.validation_start


class CategoryVerdictSensor(BeNextValidationEntity, SensorEntity):
    """The verdict of one of BeNext's validation categories: passed, pending or failed."""

    def __init__(self, entry: BeNextConfigEntry, category: Category) -> None:
        """Initialize the sensor of one category on the hub device."""
        self.entity_description = CATEGORY_VERDICTS[category]
        super().__init__(entry, self.entity_description.key)
        self._category = category

    @property
    def native_value(self) -> str | None:
        """The category's verdict from the findings that lasted the grace period."""
        verdict = self.validation.verdict(self._category)
        return verdict.value if verdict is not None else None


class ProductStatusSensor(MeterReadingFollower[BusCoordinator], RestoreEntity, SensorEntity):
    """BeNext's tick for one meter: data arrives, reads zero, or no data.

    It follows each reading as well as the bus's refreshes. After a restart it shows the
    tick from before until the meter's first reading, for as long as a reading stays
    current: a meter that was fine a minute ago is not "no data" while the bus starts.
    """

    entity_description = PRODUCT_STATUS

    def __init__(
        self,
        coordinator: BusCoordinator,
        subentry: ConfigSubentry,
        device_info: DeviceInfo | None,
    ) -> None:
        """Initialize the status sensor of one meter."""
        super().__init__(coordinator, subentry, PRODUCT_STATUS.key, device_info)
        self._restored: str | None = None
        self._restored_until: datetime | None = None
        self._written: str | None = None

    async def async_added_to_hass(self) -> None:
        """Restore the tick from before a restart, then follow the meter's readings."""
        last = await self.async_get_last_state()
        if last is not None and last.state in PRODUCT_STATUS_VALUES:
            self._restored = last.state
            self._restored_until = dt_util.utcnow() + self.coordinator.reading_max_age
        await super().async_added_to_hass()

    @callback
    def async_handle_reading(self, reading: MeterReading) -> None:
        """Write the tick if the reading changed it."""
        # Written only when the tick changes: a smart meter sends every second.
        if (tick := self.native_value) != self._written:
            self._written = tick
            self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        self._written = self.native_value
        super()._handle_coordinator_update()

    @property
    def available(self) -> bool:
        """The tick itself tells when no data arrives."""
        return True

    @property
    def native_value(self) -> str:
        """The meter's tick from its last reading."""
        if self.subentry_id not in self.coordinator.readings:
            restored_until = self._restored_until
            if self._restored is not None and restored_until and dt_util.utcnow() < restored_until:
                return self._restored
        return self.coordinator.product_status(self.subentry_id).value
