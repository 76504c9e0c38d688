"""The P1 port behind the MeterBus interface: the smart meter and the M-Bus meters it relays."""

from __future__ import annotations

from typing import Any, ClassVar

from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..bus.connection import Bus, BusConnection
from ..bus.p1.reading import MbusKind, P1Quantity, P1Reading
from ..const import SUBENTRY_SMART_METER
from ..domain.dashboard.sources import EnergySources
from ..domain.roles import Role
from ..entity import meter_device
from ..meter_bus import CountedStatistics, MeterBus, counted_sensors, enabled_sensors
from ..runtime import BeNextConfigEntry
from .coordinator import P1Coordinator, mbus_key
from .descriptions import p1_sensor_descriptions
from .entities import P1Sensor, RejectedTelegramsSensor
from .flow import P1MeterSubentryFlow
from .settings import P1MeterSettings, p1_write_intervals

IMPORT_TOTAL = P1Quantity.ENERGY_IMPORT
IMPORT_TARIFFS = (
    P1Quantity.ENERGY_IMPORT_T1,
    P1Quantity.ENERGY_IMPORT_T2,
    P1Quantity.ENERGY_IMPORT_T3,
    P1Quantity.ENERGY_IMPORT_T4,
)
EXPORT_TOTAL = P1Quantity.ENERGY_EXPORT
EXPORT_TARIFFS = (
    P1Quantity.ENERGY_EXPORT_T1,
    P1Quantity.ENERGY_EXPORT_T2,
    P1Quantity.ENERGY_EXPORT_T3,
    P1Quantity.ENERGY_EXPORT_T4,
)


class P1MeterBus(MeterBus[P1Coordinator]):
    """The smart meter's port: one meter, read from the telegrams it pushes."""

    bus = Bus.P1
    subentry_flows: ClassVar = {SUBENTRY_SMART_METER: P1MeterSubentryFlow}

    async def async_setup_coordinator(
        self, hass: HomeAssistant, entry: BeNextConfigEntry, connection: BusConnection
    ) -> P1Coordinator:
        """The smart meter's coordinator, its reader started as the entry's background task."""
        subentry = _meter_subentry(entry)
        meter = P1MeterSettings.from_subentry(subentry) if subentry is not None else None
        power_interval, total_interval = p1_write_intervals(entry)
        coordinator = P1Coordinator(
            hass,
            entry,
            connection,
            subentry_id=subentry.subentry_id if subentry is not None else None,
            meter=meter,
            power_interval=power_interval,
            total_interval=total_interval,
        )
        if subentry is not None and meter is not None:

            def widen(reading: P1Reading) -> None:
                # A meter relaying a new M-Bus meter gets its entities through a reload.
                widened = meter.with_reading(reading)
                if widened != meter:
                    hass.config_entries.async_update_subentry(
                        entry, subentry, data={**subentry.data, **widened.as_data()}
                    )

            coordinator.on_new_meter_data = widen
        await coordinator.async_start()
        return coordinator

    async def async_start(
        self, hass: HomeAssistant, entry: BeNextConfigEntry, coordinator: P1Coordinator
    ) -> None:
        """Show the telegrams from now on: every entity has restored its last total."""
        coordinator.publishing = True

    def meter_device_info(self, entry: BeNextConfigEntry, subentry: ConfigSubentry) -> DeviceInfo:
        """The smart meter's device, with its DSMR variant as hardware version."""
        meter = P1MeterSettings.from_subentry(subentry)
        info = meter_device(entry, subentry)
        info["manufacturer"] = meter.manufacturer
        info["model"] = meter.model
        info["serial_number"] = meter.serial
        if meter.version is not None:
            info["hw_version"] = f"DSMR {meter.version.value}"
        return info

    def meter_role(self, subentry: ConfigSubentry) -> Role:
        """The smart meter is the home's grid connection."""
        return Role.GRID

    def counted_statistics(
        self, entry: BeNextConfigEntry, subentry: ConfigSubentry
    ) -> CountedStatistics | None:
        """The electricity imported and exported: never the M-Bus meters it relays."""
        quantities = P1MeterSettings.from_subentry(subentry).quantities
        return counted_sensors(
            entry.runtime_data.buses[self.bus].hass,
            subentry,
            _electricity_totals(quantities, IMPORT_TOTAL, IMPORT_TARIFFS),
            _electricity_totals(quantities, EXPORT_TOTAL, EXPORT_TARIFFS),
        )

    def energy_sources(self, entry: BeNextConfigEntry, subentry: ConfigSubentry) -> EnergySources:
        """The grid's import and export per tariff, and the gas and water meters it relays."""
        meter = P1MeterSettings.from_subentry(subentry)
        hass = entry.runtime_data.buses[self.bus].hass

        def channels(*kinds: MbusKind) -> tuple[str, ...]:
            keys = (mbus_key(m.channel) for m in meter.mbus if m.kind in kinds)
            return enabled_sensors(hass, subentry, keys)

        return EnergySources(
            grid_import=enabled_sensors(
                hass, subentry, _electricity_totals(meter.quantities, IMPORT_TOTAL, IMPORT_TARIFFS)
            ),
            grid_export=enabled_sensors(
                hass, subentry, _electricity_totals(meter.quantities, EXPORT_TOTAL, EXPORT_TARIFFS)
            ),
            gas=channels(MbusKind.GAS),
            water=channels(MbusKind.WATER, MbusKind.HOT_WATER),
        )

    def async_add_entities(
        self,
        hass: HomeAssistant,
        entry: BeNextConfigEntry,
        coordinator: P1Coordinator,
        platform: Platform,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        """The smart meter's sensors, and those of each M-Bus meter as a device of its own."""
        subentry = _meter_subentry(entry)
        if platform is not Platform.SENSOR or subentry is None:
            return
        meter = P1MeterSettings.from_subentry(subentry)
        device_info = self.meter_device_info(entry, subentry)
        # The M-Bus meters' devices hang off the smart meter's, which must exist first.
        device = dr.async_get(hass).async_get_or_create(
            config_entry_id=entry.entry_id,
            config_subentry_id=subentry.subentry_id,
            **device_info,
        )
        channels = {m.channel: (m, device.id) for m in meter.mbus}
        entities: list[Entity] = [
            RejectedTelegramsSensor(coordinator, subentry, device_info),
            *(
                P1Sensor(
                    coordinator,
                    subentry,
                    device_info,
                    description,
                    channels[description.channel] if description.channel is not None else None,
                )
                for description in p1_sensor_descriptions(meter)
            ),
        ]
        async_add_entities(entities, config_subentry_id=subentry.subentry_id)

    def diagnostics(self, coordinator: P1Coordinator) -> dict[str, Any]:
        """The link, the telegrams read and why any were thrown away."""
        return {
            "link_up": coordinator.link_up,
            "version": coordinator.meter.version if coordinator.meter is not None else None,
            "connects": coordinator.counters.connects,
            "telegrams": coordinator.counters.telegrams,
            "rejected": dict(coordinator.counters.rejected),
            "rejected_percent_last_hour": coordinator.rejected_percent,
        }


def _meter_subentry(entry: BeNextConfigEntry) -> ConfigSubentry | None:
    return next(
        (s for s in entry.subentries.values() if s.subentry_type == SUBENTRY_SMART_METER), None
    )


def _electricity_totals(
    quantities: frozenset[P1Quantity], total: P1Quantity, tariffs: tuple[P1Quantity, ...]
) -> list[str]:
    """The registers that together count one direction: the tariffs, else the total.

    A reader may send both (a gPlug's Ei next to Ei1 and Ei2): the total is their sum.
    """
    present = [tariff.value for tariff in tariffs if tariff in quantities]
    if present:
        return present
    return [total.value] if total in quantities else []
