"""Values a driver prints for a measurement the meter does not have.

Kamstrup's water meters send their temperatures as one signed byte; a meter without such a
sensor sends 0x7F, which wmbusmeters prints as 127 °C (wmbusmeters issues #53 and #490: "it
does not send temperature"). A value like that is no reading: it is dropped from the
telegram, so no entity is made for it and an existing one keeps its last real value.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# A signed byte's largest value: Kamstrup's "no sensor".
KAMSTRUP_NO_TEMPERATURE = 127.0

_KAMSTRUP_TEMPERATURES: Mapping[str, float] = MappingProxyType(
    {
        "flow_temperature_c": KAMSTRUP_NO_TEMPERATURE,
        "external_temperature_c": KAMSTRUP_NO_TEMPERATURE,
        "min_external_temperature_c": KAMSTRUP_NO_TEMPERATURE,
    }
)

# Canonical driver -> field -> the value that means "not sent".
NOT_SENT_VALUES: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {"multical21": _KAMSTRUP_TEMPERATURES, "flowiq2200": _KAMSTRUP_TEMPERATURES}
)


def is_not_sent(driver: str, field: str, value: object) -> bool:
    """Whether the value is the driver's marker for a measurement the meter lacks."""
    marker = NOT_SENT_VALUES.get(driver, {}).get(field)
    return marker is not None and isinstance(value, int | float) and value == marker
