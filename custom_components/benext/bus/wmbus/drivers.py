"""The wmbusmeters drivers of the meters a BeNext home has, and what each one measures.

Driver names are wmbusmeters 2.0.0's (the value of `"meter"` in its JSON). wmbusmeters 3.x
prints `"kamwater"` for both Kamstrup water meters and keeps the old names as aliases, so
the name a telegram carries is first made canonical (see `canonical_driver`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class MeterKind(StrEnum):
    """What a wM-Bus meter measures, which decides the roles it can fill."""

    HEAT = "heat"
    WATER = "water"
    ROOM = "room"
    HEAT_COST = "heat_cost"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class DriverInfo:
    """A wmbusmeters driver, the kind of meter it reads, and the product it is made for."""

    driver: str
    kind: MeterKind
    manufacturer: str | None
    model: str | None


def _known(*drivers: DriverInfo) -> Mapping[str, DriverInfo]:
    return MappingProxyType({info.driver: info for info in drivers})


KNOWN_DRIVERS: Mapping[str, DriverInfo] = _known(
    DriverInfo("qualcosonic", MeterKind.HEAT, "Axioma", "Qalcosonic E3/E4"),
    DriverInfo("hydrocalm3", MeterKind.HEAT, "B METERS", "Hydrocal M3"),
    DriverInfo("multical21", MeterKind.WATER, "Kamstrup", "Multical 21"),
    DriverInfo("flowiq2200", MeterKind.WATER, "Kamstrup", "flowIQ 2200"),
    DriverInfo("q400", MeterKind.WATER, "Axioma", "Qalcosonic W1"),
    DriverInfo("cma12w", MeterKind.ROOM, "Elvaco", "CMa12w"),
    DriverInfo("lansenth", MeterKind.ROOM, "Lansen", "Temperature/humidity sensor"),
    DriverInfo("qcaloric", MeterKind.HEAT_COST, "Qundis", "Q caloric"),
    DriverInfo("sontex868", MeterKind.HEAT_COST, "Sontex", "Sontex 868"),
    DriverInfo("fhkvdataiii", MeterKind.HEAT_COST, "Techem", "FHKV data III"),
    DriverInfo("fhkvdataiv", MeterKind.HEAT_COST, "Techem", "FHKV data IV"),
)

# The known drivers for the UI's list: heat, water, room sensors, heat cost allocators.
SELECTABLE_DRIVERS: tuple[str, ...] = tuple(KNOWN_DRIVERS)

# wmbusmeters 3.x's one driver for both Kamstrup water meters.
KAMWATER = "kamwater"

# Fields only a Multical 21 has: its 16-bit info code with the alarm durations.
MULTICAL21_FIELDS = frozenset(
    {"current_status", "time_dry", "time_reversed", "time_leaking", "time_bursting"}
)

# Other names wmbusmeters accepts, and may print, for a known driver.
DRIVER_ALIASES: Mapping[str, str] = MappingProxyType({"whe5x": "qcaloric", "whe46x": "qcaloric"})


def driver_info(driver: str) -> DriverInfo:
    """What is known about a (canonical) driver; an unknown one is mapped generically."""
    return KNOWN_DRIVERS.get(driver) or DriverInfo(driver, MeterKind.OTHER, None, None)


def canonical_driver(printed: str, field_names: Collection[str]) -> str:
    """The wmbusmeters 2.0.0 name of the driver a telegram's `"meter"` names.

    3.x's `kamwater` is a Multical 21 when the telegram has a Multical 21 field, else a
    flowIQ 2200.
    """
    driver = printed.lower()
    if driver == KAMWATER:
        is_multical21 = any(name in MULTICAL21_FIELDS for name in field_names)
        return "multical21" if is_multical21 else "flowiq2200"
    driver = DRIVER_ALIASES.get(driver, driver)
    # A known driver's own name rather than this telegram's copy: each meter keeps it.
    known = KNOWN_DRIVERS.get(driver)
    return known.driver if known is not None else driver
