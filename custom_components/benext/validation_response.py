"""A validation as the `benext.validate` action returns it: verdicts and findings, by name."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.util.json import JsonObjectType

from .domain.validation.verdict import Validation


def validation_response(entry: ConfigEntry, validation: Validation) -> JsonObjectType:
    """The overall verdict, each category's, and each finding with its meters' titles."""
    return {
        "overall": validation.overall.value,
        "categories": {
            category.value: verdict.value for category, verdict in validation.verdicts.items()
        },
        "findings": [
            {
                "code": found.code.value,
                "category": found.category.value,
                "meters": [entry.subentries[meter_id].title for meter_id in found.meter_ids],
                # A placeholder may be a StrEnum (a role): its value as plain text.
                "placeholders": {
                    name: str(text) for name, text in found.translation_placeholders.items()
                },
            }
            for found in validation.findings
        ],
    }
