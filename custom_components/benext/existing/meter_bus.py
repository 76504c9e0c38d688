"""Existing entities behind the MeterBus interface: other integrations' sensors in a role."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..bus.connection import Bus, BusConnection, Transport
from ..const import SUBENTRY_EXISTING_ENTITY
from ..domain.dashboard.roles import source_kind
from ..domain.dashboard.sources import EnergySources, sources_of
from ..domain.existing_entity_roles import COUNTING_ROLES
from ..domain.roles import Role
from ..domain.validation.snapshot import MeterSnapshot
from ..entity import meter_device
from ..meter_bus import CountedStatistics, MeterBus
from ..runtime import BeNextConfigEntry
from .coordinator import ExistingEntityCoordinator
from .flow import ExistingEntitySubentryFlow
from .readings import TEMPERATURE
from .settings import ExistingEntitySettings


class ExistingEntityMeterBus(MeterBus[ExistingEntityCoordinator]):
    """Sensors that other integrations provide, each filling a role of the home.

    The installation has this "bus" while one of its meters is an existing entity; it
    stores no connection. The entities are the other integrations': only each meter's
    product tick is ours, on a device of the meter's own.
    """

    bus = Bus.EXISTING
    subentry_flows: ClassVar = {SUBENTRY_EXISTING_ENTITY: ExistingEntitySubentryFlow}

    def configured_connection(self, entry: BeNextConfigEntry) -> BusConnection | None:
        """Home Assistant's state machine, while an existing entity fills a role of the home."""
        if any(
            subentry.subentry_type == SUBENTRY_EXISTING_ENTITY
            for subentry in entry.subentries.values()
        ):
            return BusConnection(Bus.EXISTING, Transport.STATE_MACHINE)
        return None

    async def async_setup_coordinator(
        self, hass: HomeAssistant, entry: BeNextConfigEntry, connection: BusConnection
    ) -> ExistingEntityCoordinator:
        """The coordinator of the entities picked, by subentry id."""
        return ExistingEntityCoordinator(
            hass,
            entry,
            connection,
            meters={
                subentry.subentry_id: ExistingEntitySettings.from_subentry(subentry)
                for subentry in entry.subentries.values()
                if subentry.subentry_type == SUBENTRY_EXISTING_ENTITY
            },
        )

    async def async_start(
        self,
        hass: HomeAssistant,
        entry: BeNextConfigEntry,
        coordinator: ExistingEntityCoordinator,
    ) -> None:
        """Follow the entities' states once the product ticks exist."""
        entry.async_on_unload(coordinator.async_follow_states())

    def meter_device_info(self, entry: BeNextConfigEntry, subentry: ConfigSubentry) -> DeviceInfo:
        """The meter's device, named as its subentry: the entity's name and its role."""
        return meter_device(entry, subentry)

    def async_add_entities(
        self,
        hass: HomeAssistant,
        entry: BeNextConfigEntry,
        coordinator: ExistingEntityCoordinator,
        platform: Platform,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        """None: the entity that shows the values is the other integration's."""

    def meter_role(self, subentry: ConfigSubentry) -> Role:
        """The role the installer gave the entity."""
        return ExistingEntitySettings.from_subentry(subentry).role

    def meter_snapshot(
        self, coordinator: ExistingEntityCoordinator, subentry: ConfigSubentry
    ) -> MeterSnapshot:
        """Also a room sensor's temperature, in °C."""
        snapshot = super().meter_snapshot(coordinator, subentry)
        reading = coordinator.readings.get(subentry.subentry_id)
        if snapshot.role is not Role.INDOOR_CLIMATE or reading is None:
            return snapshot
        return replace(snapshot, temperature=reading.values.get(TEMPERATURE))

    def counted_statistics(
        self, entry: BeNextConfigEntry, subentry: ConfigSubentry
    ) -> CountedStatistics | None:
        """The entity's own statistics, for an energy or water sensor that is still there."""
        coordinator = entry.runtime_data.coordinator(ExistingEntityCoordinator)
        if coordinator is None or self.meter_role(subentry) not in COUNTING_ROLES:
            return None
        entity_id = coordinator.entity_ids.get(subentry.subentry_id)
        return CountedStatistics(amount=(entity_id,)) if entity_id is not None else None

    def period_totals(
        self, hass: HomeAssistant, entry: BeNextConfigEntry, subentry: ConfigSubentry
    ) -> tuple[str, ...]:
        """The picked entity, for an energy or water sensor: its statistics are its own."""
        statistics = self.counted_statistics(entry, subentry)
        return statistics.amount if statistics is not None else ()

    def energy_sources(self, entry: BeNextConfigEntry, subentry: ConfigSubentry) -> EnergySources:
        """The entity's own statistics, in its role's place: PV, a device, or water."""
        coordinator = entry.runtime_data.coordinator(ExistingEntityCoordinator)
        entity_id = coordinator.entity_ids.get(subentry.subentry_id) if coordinator else None
        if entity_id is None:
            return EnergySources()
        return sources_of(source_kind(self.meter_role(subentry)), (entity_id,))

    def diagnostics(self, coordinator: ExistingEntityCoordinator) -> dict[str, Any]:
        """Which entity each meter follows, and whether it reports."""
        return {
            "meters": {
                subentry_id: {
                    "entity_id": coordinator.entity_ids.get(subentry_id),
                    "role": settings.role.value,
                    "available": coordinator.meter_available(subentry_id),
                    "product_status": coordinator.product_status(subentry_id).value,
                }
                for subentry_id, settings in coordinator.meters.items()
            }
        }
