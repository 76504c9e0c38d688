"""Sensors: the installation's overall status, each meter's BeNext tick, and every bus's values."""

from __future__ import annotations

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinator import BusCoordinator
from .domain.hub_status import HubStatus
from .domain.product_status import ProductStatus, product_status
from .entity import BeNextHubEntity, BeNextMeterEntity
from .meter_buses import METER_BUSES, meter_bus_of
from .runtime import BeNextConfigEntry, BeNextRuntimeData

PARALLEL_UPDATES = 0

HUB_STATUS = SensorEntityDescription(
    key="status",
    translation_key="status",
    device_class=SensorDeviceClass.ENUM,
    options=[status.value for status in HubStatus],
)

PRODUCT_STATUS = SensorEntityDescription(
    key="product_status",
    translation_key="product_status",
    device_class=SensorDeviceClass.ENUM,
    entity_category=EntityCategory.DIAGNOSTIC,
    options=[status.value for status in ProductStatus],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BeNextConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the hub's status sensor, each meter's tick, and the sensors of every bus."""
    runtime = entry.runtime_data
    async_add_entities([HubStatusSensor(entry, runtime)])
    for subentry in entry.subentries.values():
        meter_bus = meter_bus_of(subentry)
        if meter_bus is None or (coordinator := runtime.buses.get(meter_bus.bus)) is None:
            continue
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


class ProductStatusSensor(BeNextMeterEntity[BusCoordinator], SensorEntity):
    """BeNext's tick for one meter: data arrives, reads zero, or no data."""

    entity_description = PRODUCT_STATUS

    def __init__(
        self, coordinator: BusCoordinator, subentry: ConfigSubentry, device_info: DeviceInfo
    ) -> None:
        """Initialize the status sensor of one meter."""
        super().__init__(coordinator, subentry, PRODUCT_STATUS.key, device_info)

    @property
    def available(self) -> bool:
        """The tick itself tells when no data arrives."""
        return True

    @property
    def native_value(self) -> str:
        """The meter's tick from its last reading."""
        reading = self.coordinator.readings.get(self.subentry_id)
        if reading is None:
            return ProductStatus.NO_DATA.value
        return product_status(
            reading.read_at,
            dt_util.utcnow(),
            self.coordinator.reading_max_age,
            reading.main_values,
        ).value
