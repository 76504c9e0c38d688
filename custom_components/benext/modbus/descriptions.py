"""What a kWh meter shows, by role: one description per measured quantity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorStateClass,
)
from homeassistant.const import (
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfPower,
)

from ..bus.modbus.quantities import TARIFF_ENERGIES, Quantity
from ..bus.modbus.register_maps import RegisterMap
from ..domain.heat_pump_modes import HeatPumpMode, mode_of_tariff
from ..domain.roles import Role
from ..meter_sensor import MeterSensorDescription, Values
from .settings import ModbusMeterSettings


@dataclass(frozen=True, kw_only=True)
class ModbusSensorDescription(MeterSensorDescription):
    """A sensor of a kWh meter: the quantities it needs and how its value follows."""

    quantities: tuple[Quantity, ...]


def _value(quantity: Quantity, sign: float = 1.0) -> Callable[[Values], float | None]:
    def value(values: Values) -> float | None:
        reading = values.get(quantity)
        return None if reading is None else sign * reading

    return value


def _energy(key: str, translation_key: str, quantity: Quantity) -> ModbusSensorDescription:
    return ModbusSensorDescription(
        key=key,
        translation_key=translation_key,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        quantities=(quantity,),
        value_fn=_value(quantity),
        total_key=quantity.value,
    )


def _measurement(
    quantity: Quantity,
    device_class: SensorDeviceClass,
    unit: str | None,
    precision: int,
    sign: float = 1.0,
) -> ModbusSensorDescription:
    return ModbusSensorDescription(
        key=quantity.value,
        translation_key=quantity.value,
        device_class=device_class,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=unit,
        suggested_display_precision=precision,
        entity_registry_enabled_default=False,
        quantities=(quantity,),
        value_fn=_value(quantity, sign),
    )


def _electrical(sign: float) -> list[ModbusSensorDescription]:
    volt, amp, watt = (
        UnitOfElectricPotential.VOLT,
        UnitOfElectricCurrent.AMPERE,
        UnitOfPower.WATT,
    )
    return [
        _measurement(Quantity.VOLTAGE, SensorDeviceClass.VOLTAGE, volt, 1),
        _measurement(Quantity.VOLTAGE_L1, SensorDeviceClass.VOLTAGE, volt, 1),
        _measurement(Quantity.VOLTAGE_L2, SensorDeviceClass.VOLTAGE, volt, 1),
        _measurement(Quantity.VOLTAGE_L3, SensorDeviceClass.VOLTAGE, volt, 1),
        _measurement(Quantity.CURRENT, SensorDeviceClass.CURRENT, amp, 2),
        _measurement(Quantity.CURRENT_L1, SensorDeviceClass.CURRENT, amp, 2),
        _measurement(Quantity.CURRENT_L2, SensorDeviceClass.CURRENT, amp, 2),
        _measurement(Quantity.CURRENT_L3, SensorDeviceClass.CURRENT, amp, 2),
        _measurement(Quantity.POWER_L1, SensorDeviceClass.POWER, watt, 0, sign),
        _measurement(Quantity.POWER_L2, SensorDeviceClass.POWER, watt, 0, sign),
        _measurement(Quantity.POWER_L3, SensorDeviceClass.POWER, watt, 0, sign),
        _measurement(Quantity.FREQUENCY, SensorDeviceClass.FREQUENCY, UnitOfFrequency.HERTZ, 2),
        _measurement(Quantity.POWER_FACTOR, SensorDeviceClass.POWER_FACTOR, None, 2),
    ]


def _power(translation_key: str, sign: float) -> ModbusSensorDescription:
    return ModbusSensorDescription(
        key=Quantity.POWER.value,
        translation_key=translation_key,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        quantities=(Quantity.POWER,),
        value_fn=_production(_value(Quantity.POWER, sign)) if sign < 0 else _value(Quantity.POWER),
    )


def _production(power: Callable[[Values], float | None]) -> Callable[[Values], float | None]:
    """Production never goes below 0: a PV meter's night draw is the inverter's own use."""

    def production(values: Values) -> float | None:
        watts = power(values)
        return None if watts is None else max(watts, 0.0)

    return production


def _main(role: Role) -> list[ModbusSensorDescription]:
    if role is Role.PV:
        # Wired "as a consumer": what the inverter delivers runs backwards through the
        # meter, so production is the export register and the import is its own use.
        return [
            _power("production_power", -1.0),
            _energy("export_energy", "production_energy", Quantity.EXPORT_ENERGY),
            _energy("import_energy", "own_use_energy", Quantity.IMPORT_ENERGY),
        ]
    return [
        _power("power", 1.0),
        _energy("import_energy", "consumption_energy", Quantity.IMPORT_ENERGY),
        _energy("export_energy", "returned_energy", Quantity.EXPORT_ENERGY),
    ]


def _tariffs() -> list[ModbusSensorDescription]:
    energies = [
        replace(
            _energy(f"energy_tariff_{n}", f"energy_tariff_{n}", quantity),
            entity_registry_enabled_default=False,
        )
        for n, quantity in enumerate(TARIFF_ENERGIES, start=1)
    ]
    return [
        *energies,
        ModbusSensorDescription(
            key="active_tariff",
            translation_key="active_tariff",
            device_class=SensorDeviceClass.ENUM,
            options=["1", "2", "3", "4"],
            entity_registry_enabled_default=False,
            quantities=(Quantity.ACTIVE_TARIFF,),
            value_fn=_tariff_name,
        ),
    ]


def _tariff_name(values: Values) -> str | None:
    tariff = values.get(Quantity.ACTIVE_TARIFF)
    if tariff is None or tariff not in (1, 2, 3, 4):
        return None
    return str(int(tariff))


def _heat_pump_modes(modes: tuple[HeatPumpMode, ...]) -> list[ModbusSensorDescription]:
    """The 4PS on a heat pump: energy per heat pump mode, and the mode it runs in."""
    used = list(dict.fromkeys(modes))
    descriptions = []
    for mode in used:
        tariffs = tuple(q for q, m in zip(TARIFF_ENERGIES, modes, strict=True) if m is mode)
        descriptions.append(
            ModbusSensorDescription(
                key=f"{mode}_energy",
                translation_key=f"{mode}_energy",
                device_class=SensorDeviceClass.ENERGY,
                state_class=SensorStateClass.TOTAL_INCREASING,
                native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
                suggested_display_precision=2,
                entity_registry_enabled_default=False,
                quantities=tariffs,
                value_fn=_sum(tariffs),
            )
        )

    def active_mode(values: Values) -> str | None:
        mode = mode_of_tariff(modes, values.get(Quantity.ACTIVE_TARIFF))
        return None if mode is None else mode.value

    descriptions.append(
        ModbusSensorDescription(
            key="heat_pump_mode",
            translation_key="heat_pump_mode",
            device_class=SensorDeviceClass.ENUM,
            options=[mode.value for mode in used],
            entity_registry_enabled_default=False,
            quantities=(Quantity.ACTIVE_TARIFF,),
            value_fn=active_mode,
        )
    )
    return descriptions


def _sum(quantities: tuple[Quantity, ...]) -> Callable[[Values], float | None]:
    def total(values: Values) -> float | None:
        readings: list[float | None] = [values.get(quantity) for quantity in quantities]
        if any(reading is None for reading in readings):
            return None
        return sum(reading for reading in readings if reading is not None)

    return total


def modbus_sensor_descriptions(
    settings: ModbusMeterSettings, register_map: RegisterMap
) -> list[ModbusSensorDescription]:
    """The sensors of one kWh meter: those its role calls for and its map can read."""
    sign = -1.0 if settings.role is Role.PV else 1.0
    descriptions = _main(settings.role) + _electrical(sign)
    if Quantity.ACTIVE_TARIFF in register_map.registers:
        descriptions += (
            _heat_pump_modes(settings.tariff_modes)
            if settings.role is Role.HEAT_PUMP
            else _tariffs()
        )
    return [
        description
        for description in descriptions
        if all(quantity in register_map.registers for quantity in description.quantities)
    ]
