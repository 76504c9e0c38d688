"""The RS485 bus behind the MeterBus interface: its kWh meters, polled."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import timedelta
from typing import Any, ClassVar

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..bus.connection import Bus, BusConnection
from ..bus.modbus.client import ModbusBusClient
from ..bus.modbus.quantities import Quantity
from ..const import SUBENTRY_KWH_METER
from ..domain.dashboard.roles import source_kind
from ..domain.dashboard.sources import EnergySources, sources_of
from ..domain.modbus_meter_models import DETECTED_MODEL, ModbusMeterModel
from ..domain.roles import Role
from ..domain.validation.findings import FindingCode
from ..domain.validation.snapshot import MeterSnapshot, ScanHit
from ..entity import meter_device
from ..meter_bus import CountedStatistics, MeterBus, counted_sensors, enabled_sensors
from ..runtime import BeNextConfigEntry
from ..validation_issues import DATA_FINDING
from .address_repair import ModbusAddressRepairFlow
from .coordinator import ModbusCoordinator
from .descriptions import modbus_sensor_descriptions
from .entities import ModbusSensor
from .flow import ModbusMeterSubentryFlow
from .settings import ModbusMeterSettings, modbus_failed_polls, modbus_poll_interval, polled_meter


class ModbusMeterBus(MeterBus[ModbusCoordinator]):
    """The RS485 bus: kWh meters at their addresses, read by one client."""

    bus = Bus.MODBUS
    subentry_flows: ClassVar = {SUBENTRY_KWH_METER: ModbusMeterSubentryFlow}

    async def async_setup_coordinator(
        self, hass: HomeAssistant, entry: BeNextConfigEntry, connection: BusConnection
    ) -> ModbusCoordinator:
        """The bus's coordinator with its kWh meters, in the order of their addresses."""
        meters = [
            polled_meter(subentry)
            for subentry in entry.subentries.values()
            if subentry.subentry_type == SUBENTRY_KWH_METER
        ]
        return ModbusCoordinator(
            hass,
            entry,
            connection,
            timedelta(seconds=modbus_poll_interval(entry)),
            client=ModbusBusClient(connection),
            meters=sorted(meters, key=lambda meter: meter.address),
            failed_polls_limit=modbus_failed_polls(entry),
        )

    async def async_start(
        self, hass: HomeAssistant, entry: BeNextConfigEntry, coordinator: ModbusCoordinator
    ) -> None:
        """Read what the entities need when the first poll read only the main values."""
        if coordinator.unread_needs:
            await coordinator.async_refresh()

    def meter_device_info(self, entry: BeNextConfigEntry, subentry: ConfigSubentry) -> DeviceInfo:
        """A kWh meter's device: its label's maker and model, and the serial number read."""
        settings = ModbusMeterSettings.from_subentry(subentry)
        info = meter_device(entry, subentry)
        info["manufacturer"] = settings.manufacturer
        info["model"] = settings.model_name
        info["serial_number"] = settings.serial
        return info

    def meter_role(self, subentry: ConfigSubentry) -> Role:
        """The role the installer gave the kWh meter."""
        return ModbusMeterSettings.from_subentry(subentry).role

    def meter_snapshot(
        self, coordinator: ModbusCoordinator, subentry: ConfigSubentry
    ) -> MeterSnapshot:
        """Also its address and, once known, its model: a scan may find it elsewhere."""
        settings = ModbusMeterSettings.from_subentry(subentry)
        model: str | None = settings.model.value
        if settings.model is ModbusMeterModel.DETECT:
            # A meter added to be detected is known by the register map it answered with.
            register_map = settings.register_map
            model = DETECTED_MODEL[register_map.family].value if register_map else None
        return replace(
            super().meter_snapshot(coordinator, subentry), model=model, address=settings.address
        )

    def scan_hits(self, coordinator: ModbusCoordinator) -> tuple[ScanHit, ...]:
        """What the last scans of the bus found: the flow's, and the coordinator's own."""
        return coordinator.scan_hits

    def counted_statistics(
        self, entry: BeNextConfigEntry, subentry: ConfigSubentry
    ) -> CountedStatistics | None:
        """What the role consumes, and what flowed back; a PV meter's production runs back.

        A PV meter is wired as a consumer (`modbus/descriptions.py`): it produces into its
        export register, and its import register counts the inverter's own use.
        """
        imported, exported = Quantity.IMPORT_ENERGY.value, Quantity.EXPORT_ENERGY.value
        if self.meter_role(subentry) is Role.PV:
            imported, exported = exported, imported
        return counted_sensors(
            entry.runtime_data.buses[self.bus].hass, subentry, [imported], [exported]
        )

    def energy_sources(self, entry: BeNextConfigEntry, subentry: ConfigSubentry) -> EnergySources:
        """A PV meter's production (its export register); another role's consumption."""
        role = self.meter_role(subentry)
        total = Quantity.EXPORT_ENERGY if role is Role.PV else Quantity.IMPORT_ENERGY
        hass = entry.runtime_data.buses[self.bus].hass
        return sources_of(source_kind(role), enabled_sensors(hass, subentry, [total.value]))

    def async_add_entities(
        self,
        hass: HomeAssistant,
        entry: BeNextConfigEntry,
        coordinator: ModbusCoordinator,
        platform: Platform,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        """The sensors of every kWh meter whose register map is known."""
        if platform is not Platform.SENSOR:
            return
        for subentry in entry.subentries.values():
            polled = coordinator.meters.get(subentry.subentry_id)
            # A meter of unknown model has its register map once it has been probed.
            if polled is None or polled.register_map is None:
                continue
            settings = ModbusMeterSettings.from_subentry(subentry)
            device_info = self.meter_device_info(entry, subentry)
            async_add_entities(
                [
                    ModbusSensor(coordinator, subentry, device_info, description)
                    for description in modbus_sensor_descriptions(settings, polled.register_map)
                ],
                config_subentry_id=subentry.subentry_id,
            )

    def fix_flow(self, issue_id: str, data: dict[str, Any]) -> RepairsFlow | None:
        """A kWh meter moved to the address where the bus scan found it."""
        if data.get(DATA_FINDING) == FindingCode.MODBUS_ADDRESS_WRONG:
            return ModbusAddressRepairFlow(data)
        return None

    def diagnostics(self, coordinator: ModbusCoordinator) -> dict[str, Any]:
        """The bus's traffic, and how each meter is read and has answered."""
        return {
            "traffic": asdict(coordinator.client.counters),
            "meters": {
                meter.subentry_id: {
                    "address": meter.address,
                    "register_map": meter.register_map.family if meter.register_map else None,
                    "requests_per_poll": [
                        {
                            "table": block.table.name.lower(),
                            "address": block.address,
                            "count": block.count,
                        }
                        for block in (meter.reader.blocks if meter.reader else ())
                    ],
                    "available": coordinator.meter_available(meter.subentry_id),
                    "failed_polls_in_a_row": meter.failures,
                    # Failed reads by kind, rejected readings of totals, replacements.
                    "events": dict(meter.faults),
                }
                for meter in coordinator.meters.values()
            },
        }
