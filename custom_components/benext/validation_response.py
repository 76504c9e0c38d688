"""A validation as the `benext.validate` action returns it: verdicts and findings, by name."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.util.json import JsonObjectType

from .domain.validation.verdict import Validation
from .installation_validation import InstallationValidation


def validation_response(
    entry: ConfigEntry, state: InstallationValidation, validation: Validation
) -> JsonObjectType:
    """The overall verdict, each category's, and each finding with its meters' titles.

    Every finding of `validation` is there at once, with when it was first seen; a
    repair issue follows once it lasted the grace period.
    """
    seen = state.first_seen
    date = state.validation_date
    return {
        "overall": validation.overall.value,
        "validation_start": state.validation_start.isoformat(),
        "validation_date": date.isoformat() if date is not None else None,
        "categories": {
            category.value: verdict.value for category, verdict in validation.verdicts.items()
        },
        "findings": [
            {
                "code": found.code.value,
                "category": found.category.value,
                "meters": [entry.subentries[meter_id].title for meter_id in found.meter_ids],
                "first_seen": seen[found.issue_id].isoformat() if found.issue_id in seen else None,
                # A placeholder may be a StrEnum (a role): its value as plain text.
                "placeholders": {
                    name: str(text) for name, text in found.translation_placeholders.items()
                },
            }
            for found in validation.findings
        ],
    }
