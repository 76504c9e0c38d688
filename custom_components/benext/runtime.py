"""The typed config entry of an installation, and its runtime data: its buses' coordinators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry

from .bus.connection import Bus
from .const import CONF_DETECTED_DRIVER, CONF_FIELDS, CONF_MODBUS_SCAN, CONF_SERIAL
from .coordinator import BusCoordinator
from .domain.hub_status import HubStatus, hub_status

if TYPE_CHECKING:
    from .installation_validation import InstallationValidation

type BeNextConfigEntry = ConfigEntry[BeNextRuntimeData]

# What a meter itself reports, stored so that its entities exist from the start: no reload.
HEARD_KEYS = frozenset({CONF_SERIAL, CONF_FIELDS, CONF_DETECTED_DRIVER})
# What a bus stores in the installation's own data as it finds it: no reload either.
HEARD_ENTRY_KEYS = frozenset({CONF_MODBUS_SCAN})


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
        if entry.options != self._options:
            return True
        if entry.data is not self._data and _without(entry.data, HEARD_ENTRY_KEYS) != _without(
            self._data, HEARD_ENTRY_KEYS
        ):
            return True
        if entry.subentries.keys() != self._titles.keys():
            return True
        for subentry_id, subentry in entry.subentries.items():
            if subentry.title != self._titles[subentry_id]:
                return True
            seen = self._meter_data[subentry_id]
            if subentry.data is not seen:
                if _without(subentry.data, HEARD_KEYS) != _without(seen, HEARD_KEYS):
                    return True
                self._meter_data[subentry_id] = subentry.data
        self._data = entry.data
        self._options = entry.options
        return False


def _without(data: Mapping[str, Any], heard: frozenset[str]) -> dict[str, Any]:
    """Data as it was set up: without what a bus stores as it hears or finds it."""
    return {key: value for key, value in data.items() if key not in heard}


@dataclass(slots=True)
class BeNextRuntimeData:
    """One installation (one home) and the coordinators of its configured buses."""

    buses: dict[Bus, BusCoordinator]
    # The hub's device registry id: every meter's device is `via` it.
    device_id: str
    # The entry's settings, to tell whether a change needs a reload.
    settings: EntrySettings
    # The installation's validation, run every few minutes.
    validation: InstallationValidation

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
