"""The home's derived energy, kept up to date from its meters' totals and across restarts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Final

from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfEnergy,
)
from homeassistant.core import CALLBACK_TYPE, Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event, async_track_time_interval
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import EnergyConverter

from .const import DOMAIN
from .coordinator import MeterReading
from .derived_inputs import DerivedInputs, derived_inputs
from .domain.energy.ledger import Ledger
from .meter_buses import meter_bus_of
from .runtime import BeNextConfigEntry

STORAGE_VERSION: Final = 1
# The totals change with every telegram: they are written at most this often; a pending
# write is flushed when Home Assistant stops, and the ledger is written when unloaded.
SAVE_DELAY: Final = 60


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.derived_energy")


async def async_remove_derived_energy(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the derived energy of a deleted installation."""
    await _store(hass, entry_id).async_remove()


def energy_kwh(state_value: str, unit: object) -> float | None:
    """An input's total in kWh; None when it shows no number or an unknown unit."""
    if state_value in (STATE_UNAVAILABLE, STATE_UNKNOWN):
        return None
    try:
        value = float(state_value)
    except ValueError:
        return None
    if unit is None or unit == UnitOfEnergy.KILO_WATT_HOUR:
        return value
    if unit not in EnergyConverter.VALID_UNITS:
        return None
    return EnergyConverter.convert(value, str(unit), UnitOfEnergy.KILO_WATT_HOUR)


class DerivedEnergy:
    """Follows the input totals of one installation and keeps its ledger.

    The inputs are followed with `async_track_state_change_event`; each change costs a
    dict lookup, a float parse and the ledger's sum. The ledger is stored (not restored per
    entity): the sensors share it, and a restart must resume from the values last counted.
    """

    def __init__(self, hass: HomeAssistant, entry: BeNextConfigEntry) -> None:
        """Keep the derived energy of `entry`."""
        self._hass = hass
        self._entry = entry
        self._store = _store(hass, entry.entry_id)
        self.inputs: DerivedInputs = derived_inputs(entry)
        self.ledger = Ledger(year=dt_util.now().year)
        self._readings: dict[str, float | None] = {}
        self._listeners: list[Callable[[], None]] = []
        self._unfollow: CALLBACK_TYPE | None = None
        self._count_scheduled: asyncio.Handle | None = None
        self._day = dt_util.now().date()
        self._save_scheduled = False

    async def async_load(self) -> None:
        """Resume from the stored ledger."""
        if (stored := await self._store.async_load()) is not None:
            self.ledger = Ledger.from_dict(stored)
        self.ledger.start_year(dt_util.now().year)

    @callback
    def async_start(self) -> Callable[[], Coroutine[Any, Any, None]]:
        """Follow the inputs, the meters' sensors as they are added, and the new year.

        The returned coroutine function stops following and stores the ledger.
        """
        self._async_resolve()
        unsubscribers = [
            self._hass.bus.async_listen(er.EVENT_ENTITY_REGISTRY_UPDATED, self._async_registry),
            async_track_time_interval(
                self._hass,
                self._async_minute,
                timedelta(minutes=1),
                name=f"{DOMAIN} derived energy",
                cancel_on_shutdown=True,
            ),
        ]
        unsubscribers.extend(self._async_follow_unresolved())

        async def stop() -> None:
            for unsubscribe in unsubscribers:
                unsubscribe()
            if self._unfollow is not None:
                self._unfollow()
                self._unfollow = None
            if self._count_scheduled is not None:
                self._count_scheduled.cancel()
                self._count_scheduled = None
            await self._store.async_save(self.ledger.as_dict())

        return stop

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` whenever the figures change, until the returned callback is called."""
        self._listeners.append(listener)

        def remove() -> None:
            self._listeners.remove(listener)

        return remove

    @callback
    def _async_registry(self, _event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        self._async_resolve()

    @callback
    def _async_follow_unresolved(self) -> list[CALLBACK_TYPE]:
        """Follow the readings of the meters whose totals are not known yet.

        A meter gains them when its bus first hears it (an existing entity once followed,
        a kWh meter once probed); its first reading is when to look again.
        """
        unfollow: list[CALLBACK_TYPE] = []
        runtime = self._entry.runtime_data
        for subentry_id in self.inputs.unresolved:
            subentry = self._entry.subentries[subentry_id]
            meter_bus = meter_bus_of(subentry)
            if meter_bus is None or (coordinator := runtime.buses.get(meter_bus.bus)) is None:
                continue
            coordinator.async_follow_readings(subentry_id, self)
            unfollow.append(partial(coordinator.async_unfollow_readings, subentry_id, self))
        return unfollow

    @callback
    def async_handle_reading(self, _reading: MeterReading) -> None:
        """A reading of a meter whose totals were not known: look whether they are now."""
        if not self.inputs.complete:
            self._async_resolve()

    @callback
    def _async_resolve(self) -> None:
        inputs = derived_inputs(self._entry)
        if inputs.entities == self.inputs.entities and self._unfollow is not None:
            self.inputs = inputs
            return
        self.inputs = inputs
        if self._unfollow is not None:
            self._unfollow()
        self._readings = {}
        for entity_id in inputs.entities:
            state = self._hass.states.get(entity_id)
            self._readings[entity_id] = (
                energy_kwh(state.state, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT))
                if state is not None
                else None
            )
        self._unfollow = async_track_state_change_event(
            self._hass, list(inputs.entities), self._async_state_changed
        )
        self._async_count()

    @callback
    def _async_state_changed(self, event: Event[EventStateChangedData]) -> None:
        new_state = event.data["new_state"]
        self._readings[event.data["entity_id"]] = (
            energy_kwh(new_state.state, new_state.attributes.get(ATTR_UNIT_OF_MEASUREMENT))
            if new_state is not None
            else None
        )
        # One telegram writes its import and its export one after the other: the ledger
        # counts once the loop has taken all of them, not a partial sum in between.
        if self._count_scheduled is None:
            self._count_scheduled = self._hass.loop.call_soon(self._async_count_scheduled)

    @callback
    def _async_count_scheduled(self) -> None:
        self._count_scheduled = None
        self._async_count()

    @callback
    def _async_count(self) -> None:
        # A meter whose sensors are not there yet (or disabled) pauses the ledger too.
        if self.inputs.complete and self.ledger.count(self._readings, self.inputs.entities):
            self._async_schedule_save()
            self._async_notify()

    @callback
    def _async_schedule_save(self) -> None:
        """Store the ledger within SAVE_DELAY; once scheduled, later counts join that save."""
        if not self._save_scheduled:
            self._save_scheduled = True
            self._store.async_delay_save(self._stored_data, SAVE_DELAY)

    def _stored_data(self) -> dict[str, Any]:
        self._save_scheduled = False
        return self.ledger.as_dict()

    @callback
    def _async_minute(self, now: datetime) -> None:
        # Within a minute of midnight on 1 January the year's figures start at 0; each new
        # day moves the "on track" figures.
        local = dt_util.as_local(now)
        if self.ledger.start_year(local.year):
            self._async_schedule_save()
        if local.date() != self._day:
            self._day = local.date()
            self._async_notify()

    @callback
    def _async_notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    def as_dict(self) -> dict[str, Any]:
        """What the diagnostics show: the inputs, and the figures."""
        return {
            "inputs": {entity_id: term.value for entity_id, term in self.inputs.entities.items()},
            "unresolved_meters": list(self.inputs.unresolved),
            "ledger": {
                key: value for key, value in self.ledger.as_dict().items() if key != "baselines"
            },
        }
