"""What every bus gives the installation, so that the shared modules never branch on a bus."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigSubentry, ConfigSubentryFlow
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .bus.connection import Bus, BusConnection
from .const import DOMAIN
from .coordinator import BusCoordinator
from .domain.dashboard.sources import EnergySources
from .domain.roles import Role
from .domain.validation.snapshot import MeterSnapshot, ScanHit
from .runtime import BeNextConfigEntry

# The state classes of a sensor whose statistics keep a running sum.
TOTAL_STATE_CLASSES = frozenset({"total", "total_increasing"})


@dataclass(frozen=True, slots=True)
class CountedStatistics:
    """The statistics (entity ids) whose sums make what a meter's role counts.

    `amount` is what the role measures (the grid's import, the PV meter's production, a
    heat meter's volume), `opposite` what flowed the other way (the grid's export, the PV
    meter's own use); a smart meter sums its tariffs.
    """

    amount: tuple[str, ...]
    opposite: tuple[str, ...] = ()


def counted_sensors(
    hass: HomeAssistant,
    subentry: ConfigSubentry,
    amount: Iterable[str],
    opposite: Iterable[str] = (),
) -> CountedStatistics | None:
    """The statistics of a meter's total sensors, by their description keys.

    None when a sensor is missing from the entity registry or disabled: a sum without one
    of its parts would be judged as if the meter counted too little.
    """

    def entity_ids(keys: Iterable[str]) -> tuple[str, ...] | None:
        wanted = list(keys)
        found = enabled_sensors(hass, subentry, wanted)
        return found if len(found) == len(wanted) else None

    amount_ids, opposite_ids = entity_ids(amount), entity_ids(opposite)
    if not amount_ids or opposite_ids is None:
        return None
    return CountedStatistics(amount_ids, opposite_ids)


def enabled_sensors(
    hass: HomeAssistant, subentry: ConfigSubentry, keys: Iterable[str]
) -> tuple[str, ...]:
    """The entity ids of a meter's sensors by their description keys, in order.

    A sensor missing from the entity registry or disabled is left out: it records no
    statistics.
    """
    registry = er.async_get(hass)
    found: list[str] = []
    for key in keys:
        entity_id = registry.async_get_entity_id(
            Platform.SENSOR, DOMAIN, f"{subentry.subentry_id}_{key}"
        )
        entity = registry.async_get(entity_id) if entity_id is not None else None
        if entity is not None and not entity.disabled:
            found.append(entity.entity_id)
    return tuple(found)


class MeterBus[CoordinatorT: BusCoordinator](ABC):
    """One bus of an installation: its coordinator, its kinds of meter and their entities.

    The set-up, the platforms and the diagnostics loop over the buses through this
    interface; adding a bus adds a folder and a line in `meter_buses.py`.
    """

    bus: ClassVar[Bus]
    # The kinds of meter the bus carries (config subentry types), with the flow that adds one.
    subentry_flows: ClassVar[Mapping[str, type[ConfigSubentryFlow]]]

    def configured_connection(self, entry: BeNextConfigEntry) -> BusConnection | None:
        """How the installation reaches the bus; None when it has no such bus.

        By default, the connection stored under the bus in the entry's data.
        """
        data = entry.data.get(self.bus)
        return BusConnection.from_dict(self.bus, data) if data is not None else None

    @abstractmethod
    async def async_setup_coordinator(
        self, hass: HomeAssistant, entry: BeNextConfigEntry, connection: BusConnection
    ) -> CoordinatorT:
        """The bus's coordinator, with its meters; a streamed bus starts reading here.

        Called for each bus whose `configured_connection` is not None.
        """

    async def async_start(  # noqa: B027 -- a hook that most buses do not need
        self, hass: HomeAssistant, entry: BeNextConfigEntry, coordinator: CoordinatorT
    ) -> None:
        """Start what feeds the entities, once every platform has added them."""

    @abstractmethod
    def meter_device_info(
        self, entry: BeNextConfigEntry, subentry: ConfigSubentry
    ) -> DeviceInfo | None:
        """The device of one meter: maker, model and serial number as the bus knows them.

        None when the bus's coordinator describes it as Home Assistant asks
        (`BusCoordinator.meter_device_info`).
        """

    @abstractmethod
    def async_add_entities(
        self,
        hass: HomeAssistant,
        entry: BeNextConfigEntry,
        coordinator: CoordinatorT,
        platform: Platform,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        """Add the meters' entities of one platform: now, and as meters show more."""

    @abstractmethod
    def meter_role(self, subentry: ConfigSubentry) -> Role:
        """The role one of the bus's meters plays in the home."""

    def meter_snapshot(self, coordinator: CoordinatorT, subentry: ConfigSubentry) -> MeterSnapshot:
        """One meter as the validation sees it: its role, whether it answers, its tick."""
        subentry_id = subentry.subentry_id
        return MeterSnapshot(
            meter_id=subentry_id,
            role=self.meter_role(subentry),
            bus=self.bus.value,
            reachable=coordinator.meter_available(subentry_id),
            status=coordinator.product_status(subentry_id),
        )

    def counted_statistics(
        self, entry: BeNextConfigEntry, subentry: ConfigSubentry
    ) -> CountedStatistics | None:
        """The statistics from which the validation reads what the meter counted.

        None for a meter that counts nothing the validation judges (a room sensor).
        """
        return None

    def period_totals(
        self, hass: HomeAssistant, entry: BeNextConfigEntry, subentry: ConfigSubentry
    ) -> tuple[str, ...]:
        """The entity ids of the meter's totals, whose statistics a period report reads.

        By default every enabled sensor of the meter with a total state class, save
        diagnostic ones (a smart meter's count of power failures).
        """
        return tuple(
            entity.entity_id
            for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
            if entity.config_subentry_id == subentry.subentry_id
            and entity.domain == Platform.SENSOR
            and not entity.disabled
            and entity.entity_category is None
            and (entity.capabilities or {}).get("state_class") in TOTAL_STATE_CLASSES
        )

    def energy_sources(self, entry: BeNextConfigEntry, subentry: ConfigSubentry) -> EnergySources:
        """Which of the meter's statistics are which of the Energy dashboard's sources.

        None by default: a room sensor, an allocator or a space heating meter is no source.
        """
        return EnergySources()

    def scan_hits(self, coordinator: CoordinatorT) -> tuple[ScanHit, ...]:
        """The meters the bus's last scan found, by address; none for a bus never scanned."""
        return ()

    def fix_flow(self, issue_id: str, data: dict[str, Any]) -> RepairsFlow | None:
        """The flow that fixes one of the bus's repair issues; None for another's issue."""
        return None

    def diagnostics(self, coordinator: CoordinatorT) -> dict[str, Any]:
        """What the bus can tell about its traffic and meters, redacted by the caller."""
        return {}
