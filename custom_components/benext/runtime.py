"""The runtime data of an installation: its buses and their coordinators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry

from .bus.connection import Bus, BusConnection
from .const import (
    CONF_MODBUS_FAILED_POLLS,
    CONF_MODBUS_POLL_INTERVAL,
    CONF_P1_POWER_INTERVAL,
    CONF_P1_TOTAL_INTERVAL,
    DEFAULT_MODBUS_FAILED_POLLS,
    DEFAULT_MODBUS_POLL_INTERVAL,
    DEFAULT_P1_POWER_INTERVAL,
    DEFAULT_P1_TOTAL_INTERVAL,
    SUBENTRY_KWH_METER,
    SUBENTRY_SMART_METER,
    SUBENTRY_WMBUS_METER,
)
from .coordinator import BusCoordinator
from .domain.hub_status import HubStatus, hub_status
from .modbus.coordinator import ModbusCoordinator
from .p1.coordinator import P1Coordinator
from .wmbus.coordinator import WmbusCoordinator

type BeNextConfigEntry = ConfigEntry[BeNextRuntimeData]

# The bus that carries each kind of meter (config subentry type).
SUBENTRY_BUS: dict[str, Bus] = {
    SUBENTRY_KWH_METER: Bus.MODBUS,
    SUBENTRY_SMART_METER: Bus.P1,
    SUBENTRY_WMBUS_METER: Bus.WMBUS,
}


@dataclass(slots=True)
class BeNextRuntimeData:
    """One installation (one home) and the coordinators of its configured buses."""

    buses: dict[Bus, BusCoordinator]
    # The hub's device registry id: every meter's device is `via` it.
    device_id: str
    # The entry's settings when it was set up, to tell whether a change needs a reload.
    settings: Any = None

    @property
    def status(self) -> HubStatus:
        """Overall status from the buses' reachability."""
        return hub_status(coordinator.last_update_success for coordinator in self.buses.values())

    @property
    def modbus(self) -> ModbusCoordinator | None:
        """The RS485 bus's coordinator, when the installation has that bus."""
        coordinator = self.buses.get(Bus.MODBUS)
        return coordinator if isinstance(coordinator, ModbusCoordinator) else None

    @property
    def p1(self) -> P1Coordinator | None:
        """The smart meter's coordinator, when the installation has a P1 port."""
        coordinator = self.buses.get(Bus.P1)
        return coordinator if isinstance(coordinator, P1Coordinator) else None

    @property
    def wmbus(self) -> WmbusCoordinator | None:
        """The wireless M-Bus coordinator, when the installation receives wM-Bus telegrams."""
        coordinator = self.buses.get(Bus.WMBUS)
        return coordinator if isinstance(coordinator, WmbusCoordinator) else None


def configured_buses(data: Mapping[str, Any]) -> dict[Bus, BusConnection]:
    """The buses present in an entry's data, in the order of the Bus enum."""
    return {bus: BusConnection.from_dict(bus, data[bus]) for bus in Bus if bus in data}


def modbus_poll_interval(entry: ConfigEntry) -> int:
    """The Modbus poll interval in seconds, from the entry's options."""
    return int(entry.options.get(CONF_MODBUS_POLL_INTERVAL, DEFAULT_MODBUS_POLL_INTERVAL))


def modbus_failed_polls(entry: ConfigEntry) -> int:
    """Failed polls in a row before a kWh meter is unavailable, from the entry's options."""
    return int(entry.options.get(CONF_MODBUS_FAILED_POLLS, DEFAULT_MODBUS_FAILED_POLLS))


def meters_on_bus(entry: ConfigEntry, bus: Bus) -> list[str]:
    """The titles of the meters (subentries) that the bus carries."""
    return [
        subentry.title
        for subentry in entry.subentries.values()
        if SUBENTRY_BUS.get(subentry.subentry_type) is bus
    ]


def p1_intervals(entry: ConfigEntry) -> tuple[float, float]:
    """How often the smart meter's power and its totals may be written, in seconds."""
    return (
        float(entry.options.get(CONF_P1_POWER_INTERVAL, DEFAULT_P1_POWER_INTERVAL)),
        float(entry.options.get(CONF_P1_TOTAL_INTERVAL, DEFAULT_P1_TOTAL_INTERVAL)),
    )
