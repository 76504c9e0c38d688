"""What a validation finds: a stable code, the category it counts against, and its subject."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Category(StrEnum):
    """BeNext's four validation categories, and the manual's list of common faults."""

    REACHABILITY = "reachability"
    VALUES_FORWARDED = "values_forwarded"
    CONFIGURATION = "configuration"
    DATA_CORRECTNESS = "data_correctness"
    COMMON_FAULT = "common_fault"


class FindingCode(StrEnum):
    """A finding's code; stored as a repair issue's translation key, so never renamed."""

    # 1. Reachability (bus offline and P1 not arriving are also in the manual's fault list).
    BUS_OFFLINE = "bus_offline"
    P1_NOT_ARRIVING = "p1_not_arriving"
    METER_UNREACHABLE = "meter_unreachable"
    # 2. Values forwarded: no data, or data that reads 0 ("switch on what is measured").
    VALUES_NOT_FORWARDED = "values_not_forwarded"
    VALUES_READ_ZERO = "values_read_zero"
    # 3. Configuration (the Stroomversnelling NOM protocol's roles).
    ROLE_MISSING = "role_missing"
    ROLE_DUPLICATED = "role_duplicated"
    # 4. Data correctness: BeNext's bandwidths on day 1 and day 10.
    PV_OUT_OF_BAND = "pv_out_of_band"
    HEAT_PUMP_OUT_OF_BAND = "heat_pump_out_of_band"
    VENTILATION_OUT_OF_BAND = "ventilation_out_of_band"
    SPACE_HEATING_OUT_OF_BAND = "space_heating_out_of_band"
    HOT_TAP_WATER_OUT_OF_BAND = "hot_tap_water_out_of_band"
    INDOOR_TEMPERATURE_OUT_OF_BAND = "indoor_temperature_out_of_band"
    PV_OWN_USE_ABOVE_PRODUCTION = "pv_own_use_above_production"
    PV_PRODUCTION_AT_NIGHT = "pv_production_at_night"
    NEGATIVE_HOUSEHOLD_CONSUMPTION = "negative_household_consumption"
    # Common faults that the data shows.
    HEAT_PUMP_VENTILATION_SWAPPED = "heat_pump_ventilation_swapped"
    SPACE_HEATING_HOT_TAP_WATER_SWAPPED = "space_heating_hot_tap_water_swapped"
    MODBUS_ADDRESS_WRONG = "modbus_address_wrong"
    WATER_METER_REVERSED = "water_meter_reversed"
    HEAT_METER_ERROR = "heat_meter_error"
    SENSOR_IN_WRONG_HOUSE = "sensor_in_wrong_house"
    WRONG_AES_KEY = "wrong_aes_key"

    @property
    def category(self) -> Category:
        """The category this code counts against."""
        return CATEGORY_OF[self]


_C, _F = Category, FindingCode
CATEGORY_OF: Mapping[FindingCode, Category] = MappingProxyType(
    {
        _F.BUS_OFFLINE: _C.REACHABILITY,
        _F.P1_NOT_ARRIVING: _C.REACHABILITY,
        _F.METER_UNREACHABLE: _C.REACHABILITY,
        _F.VALUES_NOT_FORWARDED: _C.VALUES_FORWARDED,
        _F.VALUES_READ_ZERO: _C.VALUES_FORWARDED,
        _F.ROLE_MISSING: _C.CONFIGURATION,
        _F.ROLE_DUPLICATED: _C.CONFIGURATION,
        _F.PV_OUT_OF_BAND: _C.DATA_CORRECTNESS,
        _F.HEAT_PUMP_OUT_OF_BAND: _C.DATA_CORRECTNESS,
        _F.VENTILATION_OUT_OF_BAND: _C.DATA_CORRECTNESS,
        _F.SPACE_HEATING_OUT_OF_BAND: _C.DATA_CORRECTNESS,
        _F.HOT_TAP_WATER_OUT_OF_BAND: _C.DATA_CORRECTNESS,
        _F.INDOOR_TEMPERATURE_OUT_OF_BAND: _C.DATA_CORRECTNESS,
        _F.PV_OWN_USE_ABOVE_PRODUCTION: _C.DATA_CORRECTNESS,
        _F.PV_PRODUCTION_AT_NIGHT: _C.DATA_CORRECTNESS,
        _F.NEGATIVE_HOUSEHOLD_CONSUMPTION: _C.DATA_CORRECTNESS,
        _F.HEAT_PUMP_VENTILATION_SWAPPED: _C.COMMON_FAULT,
        _F.SPACE_HEATING_HOT_TAP_WATER_SWAPPED: _C.COMMON_FAULT,
        _F.MODBUS_ADDRESS_WRONG: _C.COMMON_FAULT,
        _F.WATER_METER_REVERSED: _C.COMMON_FAULT,
        _F.HEAT_METER_ERROR: _C.COMMON_FAULT,
        _F.SENSOR_IN_WRONG_HOUSE: _C.COMMON_FAULT,
        _F.WRONG_AES_KEY: _C.COMMON_FAULT,
    }
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the validation found wrong.

    `subject` names what a finding without meters is about (a bus, a role); `placeholders`
    are the message's values as (name, text) pairs, sorted, so a finding stays hashable.
    """

    code: FindingCode
    meter_ids: tuple[str, ...] = ()
    subject: str = ""
    placeholders: tuple[tuple[str, str], ...] = ()

    @property
    def category(self) -> Category:
        """The category this finding counts against."""
        return self.code.category

    @property
    def issue_id(self) -> str:
        """A stable id for the repair issue: the code, the subject and the meters."""
        return "_".join(part for part in (self.code, self.subject, *self.meter_ids) if part)

    @property
    def translation_placeholders(self) -> dict[str, str]:
        """The placeholders as the repair issue's message takes them."""
        return dict(self.placeholders)


def finding(
    code: FindingCode, /, *meter_ids: str, subject: str = "", **placeholders: str
) -> Finding:
    """A finding with its placeholders in a stable order."""
    return Finding(code, meter_ids, subject, tuple(sorted(placeholders.items())))
