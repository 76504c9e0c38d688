"""A wireless M-Bus meter's device: maker and model from its driver, its id as serial number."""

from __future__ import annotations

from homeassistant.config_entries import ConfigSubentry
from homeassistant.helpers.device_registry import DeviceInfo

from ..bus.wmbus.drivers import driver_info
from ..entity import meter_device
from ..runtime import BeNextConfigEntry
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
