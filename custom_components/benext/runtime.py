"""The typed config entry of an installation, and its runtime data: its buses' coordinators."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .bus.connection import Bus
from .coordinator import BusCoordinator
from .domain.hub_status import HubStatus, hub_status

type BeNextConfigEntry = ConfigEntry[BeNextRuntimeData]


@dataclass(slots=True)
class BeNextRuntimeData:
    """One installation (one home) and the coordinators of its configured buses."""

    buses: dict[Bus, BusCoordinator]
    # The hub's device registry id: every meter's device is `via` it.
    device_id: str
    # The digest of the entry's settings when it was set up, to tell whether a change
    # needs a reload.
    settings: bytes = b""

    @property
    def status(self) -> HubStatus:
        """Overall status from the buses' conditions."""
        return hub_status(coordinator.condition for coordinator in self.buses.values())

    def coordinator[CoordinatorT: BusCoordinator](
        self, kind: type[CoordinatorT]
    ) -> CoordinatorT | None:
        """The coordinator of the given kind, when the installation has that bus."""
        return next((c for c in self.buses.values() if isinstance(c, kind)), None)
