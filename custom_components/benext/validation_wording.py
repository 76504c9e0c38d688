"""A finding's placeholders as its repair issue shows them, in the user's language.

The domain layer names roles, seasons and reasons by their values ("heat_pump", "winter",
"reverse_flow"); an issue's message gets the words of `hass.config.language` for them (the
`role`, `season` and reason selectors of strings.json), a bus's label, the meters' titles
and, for a heat meter's error code, what its flags mean.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations

from .bus.connection import Bus
from .bus.wmbus.axioma import SEVERITY, HeatMeterState, axioma_status
from .const import DOMAIN
from .domain.validation.findings import Finding, FindingCode

_SELECTOR: Final = f"component.{DOMAIN}.selector"
_HEAT_METER_STATE: Final = f"component.{DOMAIN}.entity.sensor.heat_meter_state.state"

# The selector that words a finding's `reason`, by finding.
REASON_SELECTORS: Final = {
    FindingCode.WATER_METER_REVERSED: "water_meter_reversed_reason",
    FindingCode.SENSOR_IN_WRONG_HOUSE: "wrong_house_reason",
}
# Placeholders whose value is a role or a season, and the selector that words it.
WORDED_PLACEHOLDERS: Final = {"role": "role", "season": "season"}


@dataclass(frozen=True, slots=True)
class Wording:
    """The integration's selector and entity texts in one language."""

    selectors: Mapping[str, str]
    entities: Mapping[str, str]

    def option(self, selector: str, value: str) -> str:
        """A selector option's text; the value itself when it has none."""
        return self.selectors.get(f"{_SELECTOR}.{selector}.options.{value}", value)

    def role(self, role: str) -> str:
        """A role's name ("Heat pump", "Warmtepomp")."""
        return self.option("role", role)

    def heat_meter_error(self, code: str) -> str:
        """What a heat meter's error code means: its flags' names, most serious first."""
        status = axioma_status(f"ERROR_FLAGS_{code}")
        problems = status.problems if status is not None else frozenset()
        states = [state for state in SEVERITY if state in problems] or [HeatMeterState.OTHER]
        return ", ".join(
            self.entities.get(f"{_HEAT_METER_STATE}.{state}", state.value) for state in states
        )


async def async_wording(hass: HomeAssistant) -> Wording:
    """The texts of the language Home Assistant is set to."""
    language = hass.config.language
    return Wording(
        selectors=await async_get_translations(hass, language, "selector", [DOMAIN]),
        entities=await async_get_translations(hass, language, "entity", [DOMAIN]),
    )


def issue_placeholders(entry: ConfigEntry, finding: Finding, wording: Wording) -> dict[str, str]:
    """The finding's placeholders in words, with its installation and its meters named.

    `meter` and `other_meter` are the finding's first and second meter, `meters` all of
    them, joined.
    """
    titles = [
        subentry.title if (subentry := entry.subentries.get(meter_id)) else meter_id
        for meter_id in finding.meter_ids
    ]
    # A placeholder may be a StrEnum (a role, a season): its value as plain text.
    placeholders = {name: str(text) for name, text in finding.placeholders}
    for name, selector in WORDED_PLACEHOLDERS.items():
        if name in placeholders:
            placeholders[name] = wording.option(selector, placeholders[name])
    if (reason_selector := REASON_SELECTORS.get(finding.code)) and "reason" in placeholders:
        reason = wording.option(reason_selector, placeholders["reason"])
        # A reason's words may carry the finding's own numbers ("{rssi_dbm} dBm").
        for name, value in finding.placeholders:
            reason = reason.replace(f"{{{name}}}", str(value))
        placeholders["reason"] = reason
    if finding.code is FindingCode.BUS_OFFLINE:
        # What to check differs per bus: its own instructions.
        placeholders["instructions"] = wording.option(
            "bus_offline_instructions", placeholders.get("bus", "")
        )
    if "bus" in placeholders and placeholders["bus"] in Bus:
        placeholders["bus"] = Bus(placeholders["bus"]).label
    if finding.code is FindingCode.HEAT_METER_ERROR:
        placeholders["meaning"] = wording.heat_meter_error(placeholders.get("code", ""))
    placeholders["installation"] = entry.title
    placeholders["meters"] = ", ".join(titles)
    placeholders["meter"] = titles[0] if titles else ""
    if len(titles) > 1:
        placeholders["other_meter"] = titles[1]
    return placeholders
