"""The sensors of the smart meter and its M-Bus meters, written only when their value is due."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from homeassistant.components.sensor import SensorEntity
from homeassistant.config_entries import ConfigSubentry
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.typing import StateType

from ..const import DOMAIN
from ..entity import BeNextMeterEntity
from ..meter_sensor import MeterSensor
from .coordinator import P1Coordinator
from .descriptions import REJECTED_TELEGRAMS, P1SensorDescription
from .settings import MbusMeterSettings


def mbus_device_info(
    installation: str, subentry: ConfigSubentry, meter: MbusMeterSettings, p1_meter_device_id: str
) -> DeviceInfo:
    """The device of an M-Bus meter, reached through the smart meter, named with its home."""
    identifier = (
        f"mbus_{meter.serial}" if meter.serial else f"{subentry.subentry_id}_mbus_{meter.channel}"
    )
    return DeviceInfo(
        identifiers={(DOMAIN, identifier)},
        translation_key=f"mbus_{meter.kind.value}",
        translation_placeholders={"installation": installation},
        serial_number=meter.serial,
        via_device_id=p1_meter_device_id,
    )


class P1Sensor(MeterSensor[P1Coordinator]):
    """One value of the smart meter or of an M-Bus meter behind it.

    A meter that sends every second does not write every entity every second: a value
    is written when it changed and its interval (the installation's options) has passed.
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
        """Initialize the sensor of one value, on the M-Bus meter's device if it has one."""
        super().__init__(coordinator, subentry, device_info, description)
        if mbus_meter is not None:
            self._attr_device_info = mbus_device_info(
                coordinator.config_entry.title, subentry, *mbus_meter
            )

    @property
    def native_value(self) -> StateType | date | datetime | Decimal:
        """The value; a count restored as a float (13.0, before counts were whole) as 13."""
        value = super().native_value
        if self.entity_description.whole and isinstance(value, float) and value.is_integer():
            return int(value)
        return value


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
