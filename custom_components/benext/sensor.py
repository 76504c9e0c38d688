"""Sensors: the installation's overall status and each meter's BeNext tick."""

from __future__ import annotations

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .const import SUBENTRY_KWH_METER, SUBENTRY_SMART_METER
from .coordinator import BusCoordinator
from .domain.hub_status import HubStatus
from .domain.product_status import ProductStatus, product_status
from .entity import BeNextHubEntity, BeNextMeterEntity, meter_device_info
from .modbus.descriptions import modbus_sensor_descriptions
from .modbus.entities import ModbusSensor
from .modbus.settings import ModbusMeterSettings
from .p1.descriptions import p1_sensor_descriptions
from .p1.entities import P1Sensor, RejectedTelegramsSensor
from .p1.settings import P1MeterSettings
from .runtime import SUBENTRY_BUS, BeNextConfigEntry, BeNextRuntimeData
from .wmbus.entities import wmbus_sensors
from .wmbus.entity import async_add_meter_entities

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
    """Set up the hub's status sensor and the sensors of every meter."""
    hub = entry.runtime_data
    async_add_entities([HubStatusSensor(entry, hub)])
    for subentry in entry.subentries.values():
        bus = SUBENTRY_BUS.get(subentry.subentry_type)
        if bus is None or (coordinator := hub.buses.get(bus)) is None:
            continue
        entities: list[SensorEntity] = [ProductStatusSensor(coordinator, entry, subentry)]
        modbus = hub.modbus
        polled = modbus.meters.get(subentry.subentry_id) if modbus is not None else None
        if subentry.subentry_type == SUBENTRY_KWH_METER and modbus and polled:
            # A meter of unknown model has its register map once it has been probed.
            register_map = polled.register_map
            if register_map is not None:
                settings = ModbusMeterSettings.from_subentry(subentry)
                entities += [
                    ModbusSensor(modbus, entry, subentry, description)
                    for description in modbus_sensor_descriptions(settings, register_map)
                ]
        p1 = hub.p1
        if subentry.subentry_type == SUBENTRY_SMART_METER and p1 is not None:
            meter = P1MeterSettings.from_subentry(subentry)
            # The M-Bus meters' devices hang off the smart meter's, which must exist first.
            device = dr.async_get(hass).async_get_or_create(
                config_entry_id=entry.entry_id,
                config_subentry_id=subentry.subentry_id,
                **meter_device_info(entry, subentry),
            )
            channels = {m.channel: (m, device.id) for m in meter.mbus}
            entities.append(RejectedTelegramsSensor(p1, entry, subentry))
            entities += [
                P1Sensor(
                    p1,
                    entry,
                    subentry,
                    description,
                    channels[description.channel] if description.channel is not None else None,
                )
                for description in p1_sensor_descriptions(meter)
            ]
        async_add_entities(entities, config_subentry_id=subentry.subentry_id)
    if (wmbus := hub.wmbus) is not None:
        async_add_meter_entities(
            wmbus, async_add_entities, lambda meter: wmbus_sensors(wmbus, entry, meter)
        )


class HubStatusSensor(BeNextHubEntity, SensorEntity):
    """Overall status of the installation, as the gateway's Status LED shows it."""

    entity_description = HUB_STATUS

    def __init__(self, entry: BeNextConfigEntry, hub: BeNextRuntimeData) -> None:
        """Initialize the status sensor, which follows every bus."""
        super().__init__(entry, HUB_STATUS.key, hub.buses.values())
        self._hub = hub

    @property
    def native_value(self) -> str:
        """The overall status."""
        return self._hub.status.value


class ProductStatusSensor(BeNextMeterEntity[BusCoordinator], SensorEntity):
    """BeNext's tick for one meter: data arrives, reads zero, or no data."""

    entity_description = PRODUCT_STATUS

    def __init__(
        self, coordinator: BusCoordinator, entry: BeNextConfigEntry, subentry: ConfigSubentry
    ) -> None:
        """Initialize the status sensor of one meter."""
        super().__init__(coordinator, entry, subentry, PRODUCT_STATUS.key)

    @property
    def available(self) -> bool:
        """The tick itself tells when no data arrives."""
        return True

    @property
    def native_value(self) -> str:
        """The meter's tick from its last reading."""
        snapshot = None
        if self.coordinator.data is not None:
            snapshot = self.coordinator.data.meters.get(self.subentry_id)
        if snapshot is None:
            return ProductStatus.NO_DATA.value
        return product_status(
            snapshot.read_at,
            dt_util.utcnow(),
            self.coordinator.reading_max_age,
            snapshot.main_values,
        ).value
