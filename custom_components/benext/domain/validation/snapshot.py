"""The input of a validation: what the glue knows about the home at one moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..hub_status import BusCondition
from ..product_status import ProductStatus
from ..roles import Role
from .timeline import Season, season_of

# The bus values of the wire layer's `Bus` (the domain layer does not import the buses).
P1_BUS = "p1"
MODBUS_BUS = "modbus"
WMBUS_BUS = "wmbus"


@dataclass(frozen=True, slots=True)
class Counted:
    """What a meter counted from the validation start to one moment, in its unit.

    kWh for kWh meters and the smart meter, m3 for water and heat meters (their volume).
    `amount` is what the role measures: the grid's import, the PV meter's production, the
    heat pump's or ventilation's consumption, the volume. `opposite` is what flowed the
    other way: the grid's export, the PV meter's own use (the inverter's standby).
    """

    amount: float
    opposite: float = 0.0


@dataclass(frozen=True, slots=True)
class MeterSnapshot:
    """One meter (or sensor) of the home as the validation sees it."""

    meter_id: str
    role: Role
    bus: str
    # It answers on its bus (a kWh meter within its failed polls, a wireless meter heard).
    reachable: bool = True
    # BeNext's tick from its last reading.
    status: ProductStatus = ProductStatus.OK
    # Counted from the validation start to day 1 and to day 10, once that day has passed.
    counted_day_1: Counted | None = None
    counted_day_10: Counted | None = None
    # Counted from the validation start until now.
    counted: Counted | None = None
    # The indoor temperature, in degrees Celsius, of an indoor climate sensor.
    temperature: float | None = None
    # kWh the PV meter counted at night (between sunset and sunrise) since the start.
    night_production: float | None = None
    # A water or heat meter says the water flows backwards, or its total fell.
    reverse_flow: bool = False
    total_fell: bool = False
    # A heat meter's error code as the meter shows it: four hex digits, "0000" for none.
    error_code: str | None = None
    # A wireless meter's reception: signal strength, and telegrams received per hour.
    rssi_dbm: float | None = None
    telegrams_per_hour: float | None = None
    # A wireless meter's telegrams could not be decrypted with its key.
    wrong_key: bool = False
    # A Modbus meter's model (the domain's ModbusMeterModel value) and configured address.
    model: str | None = None
    address: int | None = None


@dataclass(frozen=True, slots=True)
class BusSnapshot:
    """A configured bus and where it stands."""

    bus: str
    condition: BusCondition


@dataclass(frozen=True, slots=True)
class ScanHit:
    """A meter that answered at an address in the last scan of the Modbus bus."""

    address: int
    model: str


@dataclass(frozen=True, slots=True)
class HomeSnapshot:
    """Everything one validation judges."""

    buses: tuple[BusSnapshot, ...]
    meters: tuple[MeterSnapshot, ...]
    # When the counting started (the installer can reset it), and now; both aware.
    validation_start: datetime
    now: datetime
    # The last Modbus scan's answers; empty when there was none.
    scan: tuple[ScanHit, ...] = ()

    @property
    def season(self) -> Season:
        """The season whose bandwidths apply: that of the validation start's date."""
        return season_of(self.validation_start.date())

    def bus_condition(self, bus: str) -> BusCondition | None:
        """Where a bus stands; None when it is not configured."""
        return next((b.condition for b in self.buses if b.bus == bus), None)

    def meters_in(self, role: Role) -> tuple[MeterSnapshot, ...]:
        """The meters in one role, in the order given."""
        return tuple(meter for meter in self.meters if meter.role is role)
