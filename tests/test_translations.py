"""Translations: strings.json is the source of en, and nl and de are complete."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import pytest

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "benext"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _strings(path: Path) -> dict[str, str]:
    def flatten(node: dict[str, Any], prefix: str = "") -> dict[str, str]:
        flat: dict[str, str] = {}
        for key, value in node.items():
            path_key = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                flat |= flatten(value, path_key)
            else:
                flat[path_key] = value
        return flat

    return flatten(json.loads(path.read_text(encoding="utf-8")))


def test_en_is_strings_json() -> None:
    """Custom integrations ship translations/en.json; it must say what strings.json says."""
    assert _strings(INTEGRATION / "translations" / "en.json") == _strings(
        INTEGRATION / "strings.json"
    )


@pytest.mark.parametrize("language", ["nl", "de"])
def test_translation_is_complete(language: str) -> None:
    """Every English key is translated, with the same placeholders, and nothing extra."""
    english = _strings(INTEGRATION / "strings.json")
    translated = _strings(INTEGRATION / "translations" / f"{language}.json")

    assert sorted(set(english) - set(translated)) == [], "missing"
    assert sorted(set(translated) - set(english)) == [], "not in strings.json"
    for key, text in english.items():
        assert translated[key].strip(), key
        assert set(PLACEHOLDER.findall(translated[key])) == set(PLACEHOLDER.findall(text)), key
