"""A kWh meter's settings, as its config subentry stores them."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry, ConfigSubentry

from ..bus.modbus.register_maps import REGISTER_MAPS, MapFamily, RegisterMap
from ..const import (
    CONF_ADDRESS,
    CONF_MODBUS_FAILED_POLLS,
    CONF_MODBUS_POLL_INTERVAL,
    CONF_MODEL,
    CONF_REGISTER_MAP,
    CONF_ROLE,
    CONF_SERIAL,
    CONF_TARIFF_MODES,
    DEFAULT_MODBUS_FAILED_POLLS,
    DEFAULT_MODBUS_POLL_INTERVAL,
)
from ..domain.heat_pump_modes import HeatPumpMode, tariff_modes
from ..domain.modbus_meter_models import MODELS, ModbusMeterModel
from ..domain.roles import Role
from .coordinator import PolledMeter


@dataclass(frozen=True, slots=True)
class ModbusMeterSettings:
    """Role, address, model and register map of one kWh meter."""

    role: Role
    address: int
    model: ModbusMeterModel
    register_map: RegisterMap | None
    serial: str | None
    tariff_modes: tuple[HeatPumpMode, ...]

    @classmethod
    def from_subentry(cls, subentry: ConfigSubentry) -> ModbusMeterSettings:
        """Read a kWh meter subentry's data."""
        data = subentry.data
        model = ModbusMeterModel(data.get(CONF_MODEL, ModbusMeterModel.DETECT))
        family = data.get(CONF_REGISTER_MAP)
        if family is None and model is not ModbusMeterModel.DETECT:
            family = MODELS[model].family
        return cls(
            role=Role(data[CONF_ROLE]),
            address=int(data[CONF_ADDRESS]),
            model=model,
            register_map=REGISTER_MAPS[MapFamily(family)] if family else None,
            serial=data.get(CONF_SERIAL),
            tariff_modes=tariff_modes(data.get(CONF_TARIFF_MODES)),
        )

    @property
    def manufacturer(self) -> str | None:
        """The manufacturer on the meter's label."""
        info = MODELS.get(self.model)
        return info.manufacturer if info else None

    @property
    def model_name(self) -> str | None:
        """The model on the meter's label."""
        info = MODELS.get(self.model)
        return info.name if info else None


def polled_meter(subentry: ConfigSubentry) -> PolledMeter:
    """The bus coordinator's view of a kWh meter subentry."""
    settings = ModbusMeterSettings.from_subentry(subentry)
    return PolledMeter(
        subentry_id=subentry.subentry_id,
        name=subentry.title,
        address=settings.address,
        register_map=settings.register_map,
        serial=settings.serial,
    )


def modbus_poll_interval(entry: ConfigEntry) -> int:
    """The Modbus poll interval in seconds, from the installation's options."""
    return int(entry.options.get(CONF_MODBUS_POLL_INTERVAL, DEFAULT_MODBUS_POLL_INTERVAL))


def modbus_failed_polls(entry: ConfigEntry) -> int:
    """Failed polls in a row before a kWh meter is unavailable, from the options."""
    return int(entry.options.get(CONF_MODBUS_FAILED_POLLS, DEFAULT_MODBUS_FAILED_POLLS))
