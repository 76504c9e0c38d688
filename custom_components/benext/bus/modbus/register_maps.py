"""Where each family of kWh meter keeps its values: the register maps.

Addresses are 0-based wire addresses. Every float is IEEE-754 float32, high word first.
Sources, per family, are in tests/fixtures/modbus_register_maps.md:
- Eastron SDM630 / SDM220 / SDM230 / SDM120: "SDM630 Modbus Protocol Implementation V1.8"
  and the SDM230 protocol V1.1 (input registers, FC04; serial at holding 0xFC00).
- Inepro PRO380 / PRO1 (and the Klefr rebrands): PRO380 user manual V2.18, appendix A3.2
  (holding registers, FC03; power in kW; serial at 0x4000, shown as hexadecimal digits).
- Inepro 4PS (tariffs T1..T4): the WAGO 879-30xx "4PU/4PS/2PU CT" manual, appendix A3.2,
  the same map plus a one-register tariff word at 0x6048 that shifts what follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from .quantities import Quantity


class Table(IntEnum):
    """The register table a value is read from, as its Modbus read function code."""

    HOLDING = 3
    INPUT = 4


class Encoding(StrEnum):
    """How a value is stored in its registers."""

    FLOAT32 = "float32"
    INT16 = "int16"
    UINT32 = "uint32"

    @property
    def size(self) -> int:
        """Registers the value occupies."""
        return 1 if self is Encoding.INT16 else 2


class SerialFormat(StrEnum):
    """How the meter prints the serial number it keeps as an unsigned 32-bit integer."""

    DECIMAL = "decimal"
    HEX = "hex"


@dataclass(frozen=True, slots=True)
class Register:
    """One value in a meter's registers."""

    address: int
    encoding: Encoding = Encoding.FLOAT32
    # Multiplier to the unit the integration uses (Inepro gives kW; we show W).
    scale: float = 1.0

    @property
    def end(self) -> int:
        """The address just past the value."""
        return self.address + self.encoding.size


class MapFamily(StrEnum):
    """A register map shared by several meter models (the key stored per meter)."""

    EASTRON_1P = "eastron_1p"
    EASTRON_3P = "eastron_3p"
    INEPRO_1P = "inepro_1p"
    INEPRO_3P = "inepro_3p"
    INEPRO_4PS = "inepro_4ps"


@dataclass(frozen=True, slots=True)
class RegisterMap:
    """A family's measurements, its serial number, and its rules for one read request."""

    family: MapFamily
    table: Table
    registers: Mapping[Quantity, Register]
    serial: Register
    serial_format: SerialFormat
    phases: int
    # The most registers one request may ask for.
    max_registers: int
    # Eastron meters reject a read of an odd number of registers.
    even_count: bool = False
    # A request may not span one of these addresses (it would start a new block).
    boundaries: tuple[int, ...] = field(default=())

    @property
    def quantities(self) -> frozenset[Quantity]:
        """Everything the meter measures."""
        return frozenset(self.registers)


_EASTRON_COMMON: dict[Quantity, Register] = {
    Quantity.POWER: Register(0x0034),
    Quantity.POWER_FACTOR: Register(0x003E),
    Quantity.FREQUENCY: Register(0x0046),
    Quantity.IMPORT_ENERGY: Register(0x0048),
    Quantity.EXPORT_ENERGY: Register(0x004A),
}
# Eastron's V1.8 protocol allows 40 values (80 registers) per request.
_EASTRON_MAX_REGISTERS = 80
_EASTRON_SERIAL = Register(0xFC00, Encoding.UINT32)

EASTRON_3P = RegisterMap(
    family=MapFamily.EASTRON_3P,
    table=Table.INPUT,
    registers={
        Quantity.VOLTAGE_L1: Register(0x0000),
        Quantity.VOLTAGE_L2: Register(0x0002),
        Quantity.VOLTAGE_L3: Register(0x0004),
        Quantity.CURRENT_L1: Register(0x0006),
        Quantity.CURRENT_L2: Register(0x0008),
        Quantity.CURRENT_L3: Register(0x000A),
        Quantity.POWER_L1: Register(0x000C),
        Quantity.POWER_L2: Register(0x000E),
        Quantity.POWER_L3: Register(0x0010),
        **_EASTRON_COMMON,
    },
    serial=_EASTRON_SERIAL,
    serial_format=SerialFormat.DECIMAL,
    phases=3,
    max_registers=_EASTRON_MAX_REGISTERS,
    even_count=True,
)

EASTRON_1P = RegisterMap(
    family=MapFamily.EASTRON_1P,
    table=Table.INPUT,
    registers={
        Quantity.VOLTAGE: Register(0x0000),
        Quantity.CURRENT: Register(0x0006),
        **_EASTRON_COMMON,
        # Single-phase Eastron meters keep their power and power factor with phase 1's.
        Quantity.POWER: Register(0x000C),
        Quantity.POWER_FACTOR: Register(0x001E),
    },
    serial=_EASTRON_SERIAL,
    serial_format=SerialFormat.DECIMAL,
    phases=1,
    max_registers=_EASTRON_MAX_REGISTERS,
    even_count=True,
)

_KW = 1000.0
_INEPRO_COMMON: dict[Quantity, Register] = {
    Quantity.FREQUENCY: Register(0x5008),
    Quantity.POWER: Register(0x5012, scale=_KW),
    Quantity.POWER_FACTOR: Register(0x502A),
    Quantity.IMPORT_ENERGY: Register(0x600C),
    Quantity.EXPORT_ENERGY: Register(0x6018),
}
_INEPRO_3P_VALUES: dict[Quantity, Register] = {
    Quantity.VOLTAGE_L1: Register(0x5002),
    Quantity.VOLTAGE_L2: Register(0x5004),
    Quantity.VOLTAGE_L3: Register(0x5006),
    Quantity.CURRENT_L1: Register(0x500C),
    Quantity.CURRENT_L2: Register(0x500E),
    Quantity.CURRENT_L3: Register(0x5010),
    Quantity.POWER_L1: Register(0x5014, scale=_KW),
    Quantity.POWER_L2: Register(0x5016, scale=_KW),
    Quantity.POWER_L3: Register(0x5018, scale=_KW),
    **_INEPRO_COMMON,
}
# No documented limit; every field report reads far fewer. 60 registers is a 125-byte
# reply, well inside the Modbus limit of 125 registers.
_INEPRO_MAX_REGISTERS = 60
# A field report: reading the power factors 0x502A..0x5031 in one request timed out,
# while 0x502A and 0x502C.. read separately answered.
_INEPRO_BOUNDARIES = (0x502C,)
_INEPRO_SERIAL = Register(0x4000, Encoding.UINT32)

INEPRO_3P = RegisterMap(
    family=MapFamily.INEPRO_3P,
    table=Table.HOLDING,
    registers=_INEPRO_3P_VALUES,
    serial=_INEPRO_SERIAL,
    serial_format=SerialFormat.HEX,
    phases=3,
    max_registers=_INEPRO_MAX_REGISTERS,
    boundaries=_INEPRO_BOUNDARIES,
)

INEPRO_1P = RegisterMap(
    family=MapFamily.INEPRO_1P,
    table=Table.HOLDING,
    registers={
        Quantity.VOLTAGE: Register(0x5000),
        Quantity.CURRENT: Register(0x500A),
        **_INEPRO_COMMON,
    },
    serial=_INEPRO_SERIAL,
    serial_format=SerialFormat.HEX,
    phases=1,
    max_registers=_INEPRO_MAX_REGISTERS,
    boundaries=_INEPRO_BOUNDARIES,
)

INEPRO_4PS = RegisterMap(
    family=MapFamily.INEPRO_4PS,
    table=Table.HOLDING,
    registers={
        **_INEPRO_3P_VALUES,
        Quantity.IMPORT_ENERGY_T1: Register(0x600E),
        Quantity.IMPORT_ENERGY_T2: Register(0x6010),
        Quantity.ACTIVE_TARIFF: Register(0x6048, Encoding.INT16),
        Quantity.IMPORT_ENERGY_T3: Register(0x604F),
        Quantity.IMPORT_ENERGY_T4: Register(0x6051),
    },
    serial=_INEPRO_SERIAL,
    serial_format=SerialFormat.HEX,
    phases=3,
    max_registers=_INEPRO_MAX_REGISTERS,
    boundaries=_INEPRO_BOUNDARIES,
)

REGISTER_MAPS: dict[MapFamily, RegisterMap] = {
    register_map.family: register_map
    for register_map in (EASTRON_1P, EASTRON_3P, INEPRO_1P, INEPRO_3P, INEPRO_4PS)
}
