"""The entities of other integrations that fill roles in the home, followed as they change."""

from __future__ import annotations

from collections.abc import Mapping

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.entity_registry import EventEntityRegistryUpdatedData
from homeassistant.helpers.event import (
    async_track_entity_registry_updated_event,
    async_track_state_change_event,
)
from homeassistant.util import dt as dt_util

from ..bus.connection import BusConnection
from ..coordinator import BusCoordinator, BusState
from ..domain.hub_status import BusCondition
from ..domain.product_status import ProductStatus, values_status
from .picked_entity import current_entity_id
from .readings import is_reporting, state_reading
from .settings import ExistingEntitySettings


class ExistingEntityCoordinator(BusCoordinator):
    """Follows the states of the entities that the installation's existing-entity meters pick.

    Home Assistant's own state machine is the "bus": local, always up, never polled, and
    no link of the home's that can fail. Each state change is the meter's reading; a
    state holds until its entity changes it, so it does not age into "no data".
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        connection: BusConnection,
        meters: Mapping[str, ExistingEntitySettings],
    ) -> None:
        """Initialize the coordinator of the entities picked, by subentry id."""
        super().__init__(hass, entry, connection, update_interval=None)
        # Up from the start: there is no first telegram to wait for.
        self.last_update_success = True
        self.meters = dict(meters)
        # The entity id each meter follows now, by subentry id.
        self.entity_ids: dict[str, str] = {}
        self._unfollow: list[CALLBACK_TYPE] = []

    @property
    def has_connection(self) -> bool:
        """No: the entities' own integrations answer for their links."""
        return False

    @property
    def condition(self) -> BusCondition:
        """Always up: Home Assistant's state machine is where the entities are."""
        return BusCondition.UP

    async def _async_update_data(self) -> BusState:
        return self._current_state()

    def meter_available(self, subentry_id: str) -> bool:
        """Whether the meter's entity exists and has a state (not unavailable, not unknown)."""
        entity_id = self.entity_ids.get(subentry_id)
        return entity_id is not None and is_reporting(self.hass.states.get(entity_id))

    def product_status(self, subentry_id: str) -> ProductStatus:
        """The tick from the entity's current state, however long ago it changed."""
        reading = self.readings.get(subentry_id)
        if reading is None:
            return ProductStatus.NO_DATA
        return values_status(reading.main_values)

    @callback
    def async_follow_states(self) -> CALLBACK_TYPE:
        """Publish each entity's state now and whenever it changes, until the callback is called.

        An entity whose entity id is renamed is followed under its new one.
        """
        self._async_follow()
        return self._async_stop_following

    @callback
    def _async_follow(self) -> None:
        self._async_stop_following()
        self.entity_ids = {
            subentry_id: entity_id
            for subentry_id, settings in self.meters.items()
            if (entity_id := current_entity_id(self.hass, settings.entity)) is not None
        }
        followed = set(self.entity_ids.values())
        self._unfollow = [
            async_track_state_change_event(self.hass, followed, self._async_state_changed),
            async_track_entity_registry_updated_event(
                self.hass, followed, self._async_registry_updated
            ),
        ]
        now = dt_util.utcnow()
        for subentry_id, entity_id in self.entity_ids.items():
            # An entity whose integration has not started yet is not "no data" before its
            # first state: the meter's tick keeps what it showed before the restart.
            if (state := self.hass.states.get(entity_id)) is not None:
                self.async_publish(subentry_id, state_reading(state, now))

    @callback
    def _async_stop_following(self) -> None:
        while self._unfollow:
            self._unfollow.pop()()

    @callback
    def _async_state_changed(self, event: Event[EventStateChangedData]) -> None:
        reading = state_reading(event.data["new_state"], dt_util.utcnow())
        for subentry_id, entity_id in self.entity_ids.items():
            if entity_id == event.data["entity_id"]:
                self.async_publish(subentry_id, reading)

    @callback
    def _async_registry_updated(self, event: Event[EventEntityRegistryUpdatedData]) -> None:
        if event.data["action"] == "update" and "old_entity_id" in event.data:
            self._async_follow()
