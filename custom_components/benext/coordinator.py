"""Coordinators: one per configured bus of the installation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .bus.connection import Bus, BusConnection
from .bus.reachability import BusUnreachableError, async_check_reachable
from .const import DOMAIN, LOGGER, PUSH_SILENCE_LIMIT


@dataclass(frozen=True, slots=True)
class MeterSnapshot:
    """A meter's last good reading: when, its values, and the values that show it is in use."""

    read_at: datetime
    main_values: tuple[float | None, ...]
    values: Mapping[str, float | None] = field(default_factory=dict)
    serial: str | None = None


@dataclass(slots=True)
class BusState:
    """What the hub knows of one bus: the last reading of each meter, by subentry id."""

    meters: dict[str, MeterSnapshot] = field(default_factory=dict)


class BusCoordinator(DataUpdateCoordinator[BusState]):
    """Watches one bus: whether it can be reached, and what its meters last said.

    A polled or streamed bus is checked by connecting to it. A push bus (wmbusmeters
    posting to the installation's endpoint) is online while telegrams keep arriving.
    """

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        connection: BusConnection,
        update_interval: timedelta,
    ) -> None:
        """Initialize the coordinator of one bus."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {connection.bus}",
            update_interval=update_interval,
        )
        self.connection = connection
        self.last_contact: datetime | None = None
        if connection.is_push:
            # Offline until the first telegram, which is no failure worth logging: a
            # failure is logged only when a bus that was up goes down.
            self.last_update_success = False

    @property
    def reading_max_age(self) -> timedelta:
        """How old a meter's last reading may be before it counts as no data."""
        interval = self.update_interval or timedelta(0)
        return max(3 * interval, timedelta(minutes=2))

    @property
    def bus(self) -> Bus:
        """The bus this coordinator watches."""
        return self.connection.bus

    async def _async_update_data(self) -> BusState:
        if self.connection.is_push:
            self._raise_if_silent(dt_util.utcnow())
        else:
            try:
                await async_check_reachable(self.connection)
            except BusUnreachableError as err:
                raise self._unreachable(err) from err
        return self._current_state()

    @callback
    def async_note_contact(self) -> None:
        """Record that a push bus delivered a telegram, and mark the bus online."""
        self.last_contact = dt_util.utcnow()
        if not self.last_update_success:
            self.async_set_updated_data(self._current_state())

    def _current_state(self) -> BusState:
        """The bus's state, keeping what its meters last said."""
        return BusState(meters=self.data.meters if self.data is not None else {})

    def _unreachable(self, err: BusUnreachableError) -> UpdateFailed:
        """The translated failure of a bus that cannot be reached."""
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="bus_unreachable",
            translation_placeholders={"bus": self.bus.value, "detail": err.detail},
        )

    def _raise_if_silent(self, now: datetime) -> None:
        if self.last_contact is None:
            # Not a fault yet: wireless meters may take minutes to send after a start.
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="bus_waiting",
                translation_placeholders={"bus": self.bus.value},
            )
        if now - self.last_contact > PUSH_SILENCE_LIMIT:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="bus_silent",
                translation_placeholders={
                    "bus": self.bus.value,
                    "minutes": str(int(PUSH_SILENCE_LIMIT.total_seconds() // 60)),
                },
            )
