"""The sensors of the smart meter and its M-Bus meters, written only when their value is due."""

from __future__ import annotations

from homeassistant.components.sensor import RestoreSensor, SensorEntity, SensorStateClass
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo

from ..const import DOMAIN
from ..entity import BeNextMeterEntity
from .coordinator import P1Coordinator
from .descriptions import REJECTED_TELEGRAMS, P1SensorDescription
from .settings import MbusMeterSettings


def mbus_device_info(
    subentry: ConfigSubentry, meter: MbusMeterSettings, p1_meter_device_id: str
) -> DeviceInfo:
    """The device of an M-Bus meter, reached through the smart meter."""
    identifier = (
        f"mbus_{meter.serial}" if meter.serial else f"{subentry.subentry_id}_mbus_{meter.channel}"
    )
    return DeviceInfo(
        identifiers={(DOMAIN, identifier)},
        translation_key=f"mbus_{meter.kind.value}",
        serial_number=meter.serial,
        via_device_id=p1_meter_device_id,
    )


class P1Sensor(BeNextMeterEntity[P1Coordinator], RestoreSensor):
    """One value of the smart meter or of an M-Bus meter behind it.

    The coordinator calls it only when its value changed and is due to be written,
    so a meter that sends every second does not write every entity every second. A
    total keeps its last good value across restarts; telegrams whose totals drop or
    jump never reach it.
    """

    entity_description: P1SensorDescription

    def __init__(
        self,
        coordinator: P1Coordinator,
        subentry: ConfigSubentry,
        device_info: DeviceInfo,
        description: P1SensorDescription,
        mbus_meter: tuple[MbusMeterSettings, str] | None = None,
    ) -> None:
        """Initialize the sensor of one value."""
        super().__init__(coordinator, subentry, description.key, device_info)
        self.entity_description = description
        if mbus_meter is not None:
            self._attr_device_info = mbus_device_info(subentry, *mbus_meter)
        self._is_total = description.state_class is SensorStateClass.TOTAL_INCREASING
        self._was_available: bool | None = None

    async def async_added_to_hass(self) -> None:
        """Restore a total's last good value, then follow the value's writes."""
        await super().async_added_to_hass()
        if self._is_total and (last := await self.async_get_last_sensor_data()) is not None:
            value = last.native_value
            if isinstance(value, int | float):
                self._attr_native_value = value
                self.coordinator.async_restore_total(self.entity_description.key, float(value))
        key = self.entity_description.key
        self.async_on_remove(self.coordinator.async_add_value_listener(key, self._value_written))
        value = self.coordinator.values.get(key)
        restored = self._attr_native_value
        if value is not None and not (
            self._is_total and isinstance(restored, int | float) and value < restored
        ):
            self._attr_native_value = value

    @callback
    def _value_written(self) -> None:
        self._attr_native_value = self.coordinator.values[self.entity_description.key]
        # The first value can make the entity available: a later loss must be written too.
        self._was_available = self.available
        self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        # The bus's refreshes only matter when they change whether the link is up.
        if self.available != self._was_available:
            self._was_available = self.available
            self.async_write_ha_state()

    @property
    def available(self) -> bool:
        """Available while the link delivers, once there is a value to show."""
        return super().available and self._attr_native_value is not None


class RejectedTelegramsSensor(BeNextMeterEntity[P1Coordinator], SensorEntity):
    """The share of the last hour's telegrams that were thrown away."""

    entity_description = REJECTED_TELEGRAMS

    def __init__(
        self, coordinator: P1Coordinator, subentry: ConfigSubentry, device_info: DeviceInfo
    ) -> None:
        """Initialize the error rate sensor of the smart meter."""
        super().__init__(coordinator, subentry, REJECTED_TELEGRAMS.key, device_info)

    @property
    def available(self) -> bool:
        """The rate stays meaningful while the link is down."""
        return True

    @property
    def native_value(self) -> float | None:
        """The percentage, or unknown before any telegram."""
        return self.coordinator.rejected_percent
