"""The typed config entry of an installation, and its runtime data: its buses' coordinators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry

from .bus.connection import Bus
from .const import CONF_DETECTED_DRIVER, CONF_FIELDS, CONF_SERIAL
from .coordinator import BusCoordinator
from .domain.hub_status import HubStatus, hub_status

type BeNextConfigEntry = ConfigEntry[BeNextRuntimeData]

# What a meter itself reports, stored so that its entities exist from the start: no reload.
HEARD_KEYS = frozenset({CONF_SERIAL, CONF_FIELDS, CONF_DETECTED_DRIVER})


class EntrySettings:
    """What a reload would apply, as last seen: an entry's data, options and meters.

    It holds the entry's own mappings, not copies of them (a block of flats has hundreds
    of meters): Home Assistant replaces a mapping when it changes, so only a meter's data
    that is not the mapping seen is compared.
    """

    __slots__ = ("_data", "_meter_data", "_options", "_titles")

    def __init__(self, entry: ConfigEntry) -> None:
        """Take the entry as it is now."""
        self._data: Mapping[str, Any] = entry.data
        self._options: Mapping[str, Any] = entry.options
        self._titles = {sub_id: sub.title for sub_id, sub in entry.subentries.items()}
        self._meter_data = {sub_id: sub.data for sub_id, sub in entry.subentries.items()}

    def changed(self, entry: ConfigEntry) -> bool:
        """Whether a reload would change anything since last seen: all but what buses hear.

        When it would not, the entry as it is now is what is seen from then on.
        """
        if entry.data != self._data or entry.options != self._options:
            return True
        if entry.subentries.keys() != self._titles.keys():
            return True
        for subentry_id, subentry in entry.subentries.items():
            if subentry.title != self._titles[subentry_id]:
                return True
            seen = self._meter_data[subentry_id]
            if subentry.data is not seen:
                if _set_data(subentry.data) != _set_data(seen):
                    return True
                self._meter_data[subentry_id] = subentry.data
        self._data = entry.data
        self._options = entry.options
        return False


def _set_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """A meter's data as it was set up: without what its bus stores as it hears it."""
    return {key: value for key, value in data.items() if key not in HEARD_KEYS}


@dataclass(slots=True)
class BeNextRuntimeData:
    """One installation (one home) and the coordinators of its configured buses."""

    buses: dict[Bus, BusCoordinator]
    # The hub's device registry id: every meter's device is `via` it.
    device_id: str
    # The entry's settings, to tell whether a change needs a reload.
    settings: EntrySettings

    @property
    def status(self) -> HubStatus:
        """Overall status from the conditions of the buses that are links of their own."""
        return hub_status(
            coordinator.condition
            for coordinator in self.buses.values()
            if coordinator.has_connection
        )

    def coordinator[CoordinatorT: BusCoordinator](
        self, kind: type[CoordinatorT]
    ) -> CoordinatorT | None:
        """The coordinator of the given kind, when the installation has that bus."""
        return next((c for c in self.buses.values() if isinstance(c, kind)), None)
