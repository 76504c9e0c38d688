"""The error code of an Axioma Qalcosonic E3/E4 heat meter, from wmbusmeters' `status` text.

The meter shows a 4-digit hexadecimal code `ABCD` (0000 = no error), each digit a sum of
flags 1, 2, 4, 8: A the calculator, B the return sensor T2, C the supply sensor T1, D the flow
sensor (Danfoss SonoMeter 40 and Badger Meter UHC100 manuals, built on the Axioma platform;
summarised in axioma_error_codes.md). wmbusmeters has no names for these bits: it prints
"OK" for 0 and "ERROR_FLAGS_<hex>" otherwise, plus TPL status words such as TEMPORARY_ERROR.
NOT verified on a meter: that the 32-bit ErrorFlags value equals the displayed code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
import re
from types import MappingProxyType


class HeatMeterState(StrEnum):
    """What the heat meter's error code says."""

    OK = "ok"
    NO_TEMPERATURE_DIFFERENCE = "no_temperature_difference"
    BATTERY = "battery"
    TEMPERATURE_DIFFERENCE_HIGH = "temperature_difference_high"
    ELECTRONICS_FAILURE = "electronics_failure"
    RETURN_SENSOR_FAULT = "return_sensor_fault"
    SUPPLY_SENSOR_FAULT = "supply_sensor_fault"
    FLOW_SENSOR_EMPTY = "flow_sensor_empty"
    REVERSE_FLOW = "reverse_flow"
    FLOW_ABOVE_LIMIT = "flow_above_limit"
    FLOW_SENSOR_FAILURE = "flow_sensor_failure"
    OTHER = "other"


_A, _B, _C, _D = 12, 8, 4, 0  # the bit shift of each digit, left to right
# Flag bit -> problem. The manuals give no meaning to bits 1 and 2 of the sensor digits.
CODE_BITS: Mapping[int, HeatMeterState] = MappingProxyType(
    {
        0x1 << _A: HeatMeterState.BATTERY,
        0x2 << _A: HeatMeterState.TEMPERATURE_DIFFERENCE_HIGH,
        0x4 << _A: HeatMeterState.NO_TEMPERATURE_DIFFERENCE,
        0x8 << _A: HeatMeterState.ELECTRONICS_FAILURE,
        0x4 << _B: HeatMeterState.RETURN_SENSOR_FAULT,  # short-circuited
        0x8 << _B: HeatMeterState.RETURN_SENSOR_FAULT,  # disconnected or short-circuited
        0x4 << _C: HeatMeterState.SUPPLY_SENSOR_FAULT,
        0x8 << _C: HeatMeterState.SUPPLY_SENSOR_FAULT,
        0x1 << _D: HeatMeterState.FLOW_SENSOR_EMPTY,
        0x2 << _D: HeatMeterState.REVERSE_FLOW,
        0x4 << _D: HeatMeterState.FLOW_ABOVE_LIMIT,
        0x8 << _D: HeatMeterState.FLOW_SENSOR_FAILURE,
    }
)

# Most serious first: the meter's own hardware, then faults of the installation, then
# conditions; "no temperature difference" is normal when there is no heat demand.
SEVERITY: tuple[HeatMeterState, ...] = (
    HeatMeterState.ELECTRONICS_FAILURE,
    HeatMeterState.FLOW_SENSOR_FAILURE,
    HeatMeterState.SUPPLY_SENSOR_FAULT,
    HeatMeterState.RETURN_SENSOR_FAULT,
    HeatMeterState.REVERSE_FLOW,
    HeatMeterState.FLOW_SENSOR_EMPTY,
    HeatMeterState.FLOW_ABOVE_LIMIT,
    HeatMeterState.TEMPERATURE_DIFFERENCE_HIGH,
    HeatMeterState.BATTERY,
    HeatMeterState.OTHER,
    HeatMeterState.NO_TEMPERATURE_DIFFERENCE,
)

ERROR_FLAGS_PREFIX = "ERROR_FLAGS_"
ERROR_FLAGS = re.compile(r"ERROR_FLAGS_([0-9A-Fa-f]{1,4})")
# A flag name as wmbusmeters prints them (TEMPORARY_ERROR, UNKNOWN_C0).
STATUS_WORD = re.compile(r"[A-Z][A-Z0-9_]*")
CODE_DIGITS = 4
SERIOUS_DIGIT = 8


@dataclass(frozen=True, slots=True)
class AxiomaStatus:
    """The meter's error code (4 upper-case hex digits), its problems, and any other words."""

    code: str
    problems: frozenset[HeatMeterState]
    words: tuple[str, ...]

    @property
    def state(self) -> HeatMeterState:
        """The most serious problem; OK when there is none, OTHER for a status word only."""
        candidates = self.problems | ({HeatMeterState.OTHER} if self.words else set())
        return next((state for state in SEVERITY if state in candidates), HeatMeterState.OK)

    @property
    def serious(self) -> bool:
        """Whether a digit is 8 or more: the meter then stops summing energy."""
        return any(int(digit, 16) >= SERIOUS_DIGIT for digit in self.code)


def axioma_status(status: str) -> AxiomaStatus | None:
    """The error code in a qualcosonic `status` text ("OK", "ERROR_FLAGS_4000 ..."), or None.

    Words other than the code (TPL status such as TEMPORARY_ERROR) are kept; a status with
    only such words has code 0000. None for an empty status, a code that is not 1 to 4 hex
    digits or is given twice, or a word that is not an upper-case flag name.
    """
    status_words = status.split()
    if not status_words:
        return None
    code: int | None = None
    words: list[str] = []
    for word in status_words:
        match = ERROR_FLAGS.fullmatch(word)
        if match is not None and code is None:
            code = int(match.group(1), 16)
        elif word.startswith(ERROR_FLAGS_PREFIX) or not STATUS_WORD.fullmatch(word):
            return None
        elif word != "OK":
            words.append(word)
    code = code or 0
    return AxiomaStatus(
        code=f"{code:0{CODE_DIGITS}X}", problems=frozenset(_problems(code)), words=tuple(words)
    )


def _problems(code: int) -> set[HeatMeterState]:
    problems = {state for bit, state in CODE_BITS.items() if code & bit}
    known_bits = sum(CODE_BITS)
    if code & ~known_bits:
        problems.add(HeatMeterState.OTHER)  # a flag the manuals do not describe
    return problems
