"""The hub's derived energy sensors: household and building-related consumption, NOM, EPV.

A sensor exists only when the meters it needs exist; the diagnostics name what is missing
(`derived_inputs.missing_inputs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfEnergy
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .const import CONF_EPV_BUDGET
from .derived_energy import DerivedEnergy
from .domain.energy.ledger import Ledger
from .domain.energy.on_track import epv_on_track, nom_on_track
from .entity import BeNextHubEntity
from .runtime import BeNextConfigEntry

ON_TRACK = "on_track"
OFF_TRACK = "off_track"


@dataclass(frozen=True, kw_only=True)
class DerivedSensorDescription(SensorEntityDescription):
    """A derived sensor: its value from the ledger, the budget and today's date."""

    value_fn: Callable[[Ledger, float, datetime], float | str | None]
    # Whether the figure is the year's: it resets on 1 January.
    yearly: bool = False


def _track(on_track: bool) -> str:
    return ON_TRACK if on_track else OFF_TRACK


def _nom_track(ledger: Ledger, now: datetime) -> str | None:
    """Unknown until the year's first kWh has been counted."""
    if not ledger.year_import and not ledger.year_export:
        return None
    return _track(nom_on_track(ledger.year_import, ledger.year_export, now.date()))


def _energy(key: str, value_fn: Callable[[Ledger], float]) -> DerivedSensorDescription:
    return DerivedSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda ledger, _budget, _now: round(value_fn(ledger), 3),
    )


HOUSEHOLD = _energy("household_energy", lambda ledger: ledger.household_shown)
BUILDING = _energy("building_energy", lambda ledger: ledger.building)
NOM_BALANCE = DerivedSensorDescription(
    key="nom_balance",
    translation_key="nom_balance",
    device_class=SensorDeviceClass.ENERGY,
    state_class=SensorStateClass.TOTAL,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    suggested_display_precision=1,
    value_fn=lambda ledger, _budget, _now: round(ledger.nom_balance, 3),
    yearly=True,
)
NOM_ON_TRACK = DerivedSensorDescription(
    key="nom_on_track",
    translation_key="nom_on_track",
    device_class=SensorDeviceClass.ENUM,
    options=[ON_TRACK, OFF_TRACK],
    value_fn=lambda ledger, _budget, now: _nom_track(ledger, now),
)
EPV_USED = DerivedSensorDescription(
    key="epv_used",
    translation_key="epv_used",
    device_class=SensorDeviceClass.ENERGY,
    state_class=SensorStateClass.TOTAL,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    suggested_display_precision=1,
    value_fn=lambda ledger, _budget, _now: round(ledger.year_household_shown, 3),
    yearly=True,
)
EPV_REMAINING = DerivedSensorDescription(
    key="epv_remaining",
    translation_key="epv_remaining",
    device_class=SensorDeviceClass.ENERGY,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    suggested_display_precision=1,
    value_fn=lambda ledger, budget, _now: round(budget - ledger.year_household_shown, 3),
)
EPV_ON_TRACK = DerivedSensorDescription(
    key="epv_on_track",
    translation_key="epv_on_track",
    device_class=SensorDeviceClass.ENUM,
    options=[ON_TRACK, OFF_TRACK],
    value_fn=lambda ledger, budget, now: _track(
        epv_on_track(ledger.year_household_shown, budget, now.date())
    ),
)


def epv_budget(entry: BeNextConfigEntry) -> float:
    """The EPV contract's yearly household budget in kWh; 0 for none."""
    return float(entry.options.get(CONF_EPV_BUDGET, 0))


async def async_add_derived_sensors(
    hass: HomeAssistant,
    entry: BeNextConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the derived sensors whose meters the installation has, and keep their ledger."""
    derived = DerivedEnergy(hass, entry)
    inputs = derived.inputs
    descriptions: list[DerivedSensorDescription] = []
    if inputs.has_grid:
        descriptions += [HOUSEHOLD, NOM_BALANCE, NOM_ON_TRACK]
        if epv_budget(entry) > 0:
            descriptions += [EPV_USED, EPV_REMAINING, EPV_ON_TRACK]
    if inputs.has_building:
        descriptions.append(BUILDING)
    if not descriptions:
        return
    await derived.async_load()
    entry.async_on_unload(derived.async_start())
    async_add_entities(DerivedSensor(entry, derived, description) for description in descriptions)


class DerivedSensor(BeNextHubEntity, SensorEntity):
    """A figure derived from the home's meters, on the hub device."""

    entity_description: DerivedSensorDescription

    def __init__(
        self,
        entry: BeNextConfigEntry,
        derived: DerivedEnergy,
        description: DerivedSensorDescription,
    ) -> None:
        """Initialize the sensor, which follows the installation's ledger."""
        super().__init__(entry, description.key, ())
        self.entity_description = description
        self._derived = derived
        self._budget = epv_budget(entry)
        self._written: tuple[float | str | None, int] | None = None

    async def async_added_to_hass(self) -> None:
        """Follow the ledger."""
        await super().async_added_to_hass()
        self.async_on_remove(self._derived.async_add_listener(self._async_ledger_changed))

    @callback
    def _async_ledger_changed(self) -> None:
        # Written only when what it shows changed: most readings move one or two figures.
        shown = (self.native_value, self._derived.ledger.year)
        if shown != self._written:
            self._written = shown
            self.async_write_ha_state()

    @property
    def native_value(self) -> float | str | None:
        """The figure now."""
        return self.entity_description.value_fn(self._derived.ledger, self._budget, dt_util.now())

    @property
    def last_reset(self) -> datetime | None:
        """1 January of the ledger's year, for a yearly figure."""
        if not self.entity_description.yearly:
            return None
        return datetime(self._derived.ledger.year, 1, 1, tzinfo=dt_util.get_default_time_zone())
