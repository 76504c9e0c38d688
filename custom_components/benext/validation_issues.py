"""The validation's findings as repair issues: raised once due, cleared when gone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .domain.validation.findings import Category, Finding, FindingCode
from .runtime import BeNextConfigEntry
from .validation_wording import async_wording, issue_placeholders

# Every validation issue's id starts with this, then the entry id and the finding's id.
VALIDATION_ISSUE: Final = "validation_"

# What a validation issue's data holds besides the finding's own placeholders: the
# installation, the finding's code, and its meters (subentry ids, space-separated).
DATA_ENTRY_ID: Final = "entry_id"
DATA_FINDING: Final = "finding"
DATA_SUBENTRY_IDS: Final = "subentry_ids"

# Faults a bus raises itself the moment it sees them, with their own fix: the validation
# raises no second issue for them. A wrong key is wM-Bus's `wmbus_wrong_key_<meter>`
# (wmbus/coordinator.py), whose fix flow takes the new key.
RAISED_BY_THEIR_BUS: Final = frozenset({FindingCode.WRONG_AES_KEY})

# Findings whose fix is digital: swapping two meters' roles (role_swap_repair.py) and
# moving a kWh meter to the address where the scan found it (modbus/address_repair.py).
FIXABLE: Final = frozenset(
    {
        FindingCode.HEAT_PUMP_VENTILATION_SWAPPED,
        FindingCode.SPACE_HEATING_HOT_TAP_WATER_SWAPPED,
        FindingCode.MODBUS_ADDRESS_WRONG,
    }
)

# Errors: nothing is measured, or the home's arithmetic cannot be right. The rest warns.
ERROR_CATEGORIES: Final = frozenset({Category.REACHABILITY})
ERROR_CODES: Final = frozenset({FindingCode.NEGATIVE_HOUSEHOLD_CONSUMPTION})


def validation_issue_prefix(entry_id: str) -> str:
    """The start of every validation issue's id of one installation."""
    return f"{VALIDATION_ISSUE}{entry_id}_"


def validation_issue_id(entry_id: str, finding: Finding) -> str:
    """The id of the repair issue of one finding of one installation."""
    return validation_issue_prefix(entry_id) + finding.issue_id


def severity(finding: Finding) -> ir.IssueSeverity:
    """How loudly an issue speaks: an error where nothing is measured or the home cannot add up."""
    if finding.category in ERROR_CATEGORIES or finding.code in ERROR_CODES:
        return ir.IssueSeverity.ERROR
    return ir.IssueSeverity.WARNING


async def async_update_validation_issues(
    hass: HomeAssistant, entry: BeNextConfigEntry, due: Sequence[Finding]
) -> None:
    """Raise an issue for each due finding; delete the installation's others.

    Async because a message's roles, seasons and reasons are worded in Home Assistant's
    language, whose texts may have to be loaded first.
    """
    wording = await async_wording(hass)
    raised: set[str] = set()
    missing_roles = [found for found in due if found.code is FindingCode.ROLE_MISSING]
    if missing_roles:
        # One issue for all of them: a home that uses only its smart meter gets one.
        issue_id = validation_issue_prefix(entry.entry_id) + FindingCode.ROLE_MISSING
        raised.add(issue_id)
        roles = ", ".join(wording.role(found.subject) for found in missing_roles)
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=FindingCode.ROLE_MISSING,
            translation_placeholders={"installation": entry.title, "roles": roles},
            data={DATA_ENTRY_ID: entry.entry_id, DATA_FINDING: FindingCode.ROLE_MISSING.value},
        )
    for finding in due:
        if finding.code in RAISED_BY_THEIR_BUS or finding.code is FindingCode.ROLE_MISSING:
            continue
        issue_id = validation_issue_id(entry.entry_id, finding)
        raised.add(issue_id)
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=finding.code in FIXABLE,
            is_persistent=False,
            severity=severity(finding),
            translation_key=finding.code.value,
            translation_placeholders=issue_placeholders(entry, finding, wording),
            data={
                **{name: str(text) for name, text in finding.placeholders},
                DATA_ENTRY_ID: entry.entry_id,
                DATA_FINDING: finding.code.value,
                DATA_SUBENTRY_IDS: " ".join(finding.meter_ids),
            },
        )
    prefix = validation_issue_prefix(entry.entry_id)
    registry = ir.async_get(hass)
    stale = [
        issue_id
        for domain, issue_id in registry.issues
        if domain == DOMAIN and issue_id.startswith(prefix) and issue_id not in raised
    ]
    for issue_id in stale:
        ir.async_delete_issue(hass, DOMAIN, issue_id)


def issue_meters(data: dict[str, object]) -> list[str]:
    """The subentry ids of the meters a validation issue names, from its data."""
    return str(data.get(DATA_SUBENTRY_IDS, "")).split()
