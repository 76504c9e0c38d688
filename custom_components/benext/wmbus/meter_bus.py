"""Wireless M-Bus behind the MeterBus interface: meters heard through wmbusmeters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from ..bus.connection import Bus, BusConnection
from ..const import SUBENTRY_WMBUS_METER
from ..domain.dashboard.roles import source_kind
from ..domain.dashboard.sources import EnergySources, sources_of
from ..domain.roles import Role
from ..domain.validation.snapshot import MeterSnapshot
from ..meter_bus import CountedStatistics, MeterBus, counted_sensors, enabled_sensors
from ..runtime import BeNextConfigEntry
from .alarm_event import wmbus_alarm_events
from .alarm_sensors import wmbus_alarm_sensors
from .coordinator import RSSI_FIELD, WRONG_KEY_ISSUE, WmbusCoordinator, WmbusMeter
from .entities import wmbus_sensors
from .flow import WmbusMeterSubentryFlow
from .meter_entities import async_add_meter_entities
from .repairs import WrongKeyRepairFlow
from .settings import WmbusMeterSettings
from .setup import async_ensure_webhook_id, async_start_wmbus, wmbus_coordinator
from .validation_values import heat_meter_error_code, reverse_flow, room_temperature

# The roles whose counted volume the validation judges, and the field that counts it.
VOLUME_ROLES = frozenset({Role.SPACE_HEATING, Role.HOT_TAP_WATER})
VOLUME_FIELD = "total_m3"

# The entities of one meter on each platform.
ENTITY_BUILDERS: dict[
    Platform,
    Callable[[WmbusCoordinator, BeNextConfigEntry, WmbusMeter], Sequence[Entity]],
] = {
    Platform.SENSOR: wmbus_sensors,
    Platform.BINARY_SENSOR: wmbus_alarm_sensors,
    Platform.EVENT: wmbus_alarm_events,
}


class WmbusMeterBus(MeterBus[WmbusCoordinator]):
    """Wireless meters whose telegrams wmbusmeters decodes and posts (or prints) to us."""

    bus = Bus.WMBUS
    subentry_flows: ClassVar = {SUBENTRY_WMBUS_METER: WmbusMeterSubentryFlow}

    async def async_setup_coordinator(
        self, hass: HomeAssistant, entry: BeNextConfigEntry, connection: BusConnection
    ) -> WmbusCoordinator:
        """The coordinator of the installation's wM-Bus meters, which routes their telegrams."""
        connection = async_ensure_webhook_id(hass, entry, connection)
        return wmbus_coordinator(hass, entry, connection)

    async def async_start(
        self, hass: HomeAssistant, entry: BeNextConfigEntry, coordinator: WmbusCoordinator
    ) -> None:
        """Take telegrams once every platform can add the entities they show."""
        entry.async_on_unload(await async_start_wmbus(hass, entry, coordinator))

    def meter_device_info(
        self, entry: BeNextConfigEntry, subentry: ConfigSubentry
    ) -> DeviceInfo | None:
        """None: the coordinator describes the meter's device as Home Assistant asks."""
        return None

    def meter_role(self, subentry: ConfigSubentry) -> Role:
        """The role the installer gave the wireless meter."""
        return WmbusMeterSettings.from_subentry(subentry).role

    def meter_snapshot(
        self, coordinator: WmbusCoordinator, subentry: ConfigSubentry
    ) -> MeterSnapshot:
        """Also its reception and key, and what its last telegram says of the home.

        A heat meter's error code, a room sensor's temperature, a water meter's alarm of
        reverse flow; a volume total that fell below its last good value.
        """
        snapshot = super().meter_snapshot(coordinator, subentry)
        reading = coordinator.readings.get(subentry.subentry_id)
        values = reading.values if reading is not None else {}
        rssi = values.get(RSSI_FIELD)
        meter = coordinator.meter_of(subentry.subentry_id)
        return replace(
            snapshot,
            rssi_dbm=float(rssi) if isinstance(rssi, int | float) else None,
            wrong_key=meter is not None and meter.wrong_key,
            telegrams_per_hour=meter.rate.per_hour(dt_util.utcnow()) if meter else None,
            error_code=heat_meter_error_code(values),
            temperature=(
                room_temperature(values) if snapshot.role is Role.INDOOR_CLIMATE else None
            ),
            reverse_flow=reverse_flow(values),
            total_fell=meter is not None and meter.total_fell,
        )

    def counted_statistics(
        self, entry: BeNextConfigEntry, subentry: ConfigSubentry
    ) -> CountedStatistics | None:
        """The volume a heat or water meter counted, in the roles whose volume is judged.

        A space heating meter's volume is its circulation volume, under the same field.
        """
        if self.meter_role(subentry) not in VOLUME_ROLES:
            return None
        return counted_sensors(entry.runtime_data.buses[self.bus].hass, subentry, [VOLUME_FIELD])

    def energy_sources(self, entry: BeNextConfigEntry, subentry: ConfigSubentry) -> EnergySources:
        """A cold or hot tap water meter's volume; never a heating circuit's."""
        kind = source_kind(self.meter_role(subentry))
        hass = entry.runtime_data.buses[self.bus].hass
        return sources_of(kind, enabled_sensors(hass, subentry, [VOLUME_FIELD]))

    def async_add_entities(
        self,
        hass: HomeAssistant,
        entry: BeNextConfigEntry,
        coordinator: WmbusCoordinator,
        platform: Platform,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        """Each meter's entities of the platform, now and as its telegrams show more."""
        if (build := ENTITY_BUILDERS.get(platform)) is not None:
            async_add_meter_entities(
                coordinator, async_add_entities, lambda meter: build(coordinator, entry, meter)
            )

    def fix_flow(self, issue_id: str, data: dict[str, Any]) -> RepairsFlow | None:
        """A meter's new key, when its key does not decrypt its telegrams."""
        return WrongKeyRepairFlow(data) if issue_id.startswith(WRONG_KEY_ISSUE) else None

    def diagnostics(self, coordinator: WmbusCoordinator) -> dict[str, Any]:
        """What became of the telegrams, and what each meter last sent (its id redacted)."""
        return {
            "telegrams": {outcome.value: count for outcome, count in coordinator.outcomes.items()},
            "unclaimed_meters_heard": len(coordinator.heard),
            "meters": {
                meter.subentry_id: {
                    "driver": meter.settings.effective_driver,
                    "heard_at": meter.heard_at.isoformat() if meter.heard_at else None,
                    "wrong_key": meter.wrong_key,
                    "fields": list(meter.settings.fields),
                    "available": coordinator.is_current(meter),
                }
                for meter in coordinator.meters.values()
            },
        }
