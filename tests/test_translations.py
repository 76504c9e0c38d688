"""Translations: strings.json is the source of en, and nl and de are complete."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import pytest

from custom_components.benext.bus.p1.probe import ProbeFailure

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


# Where each flow module's abort reasons are translated; its dialog shows that text under
# the integration's title.
ABORT_SECTIONS = {
    "config_flow.py": ("config",),
    "wmbus/discovery.py": ("config",),
    "modbus/flow.py": ("config_subentries.kwh_meter",),
    "modbus/scan_steps.py": ("config_subentries.kwh_meter",),
    "p1/flow.py": ("config_subentries.smart_meter",),
    "wmbus/flow.py": ("config_subentries.wmbus_meter",),
    "held_total_repair.py": ("issues.total_jump.fix_flow",),
    "energy_repair.py": ("issues.energy_dashboard.fix_flow",),
    "role_swap_repair.py": (
        "issues.heat_pump_ventilation_swapped.fix_flow",
        "issues.space_heating_hot_tap_water_swapped.fix_flow",
    ),
    "modbus/address_repair.py": ("issues.modbus_address_wrong.fix_flow",),
    "wmbus/repairs.py": (
        "issues.wmbus_wrong_key.fix_flow",
        "issues.wmbus_wrong_key_http.fix_flow",
    ),
}
ABORT = re.compile(r"async_abort\(\s*reason=\"(\w+)\"")


def _aborts(section: str) -> set[str]:
    node: Any = json.loads((INTEGRATION / "strings.json").read_text(encoding="utf-8"))
    for key in section.split("."):
        node = node[key]
    return set(node.get("abort", {}))


def test_every_abort_has_its_text() -> None:
    """Every reason a flow aborts with is translated where that flow's dialog looks for it."""
    found: dict[str, set[str]] = {}
    for path in INTEGRATION.rglob("*.py"):
        if reasons := set(ABORT.findall(path.read_text(encoding="utf-8"))):
            found[path.relative_to(INTEGRATION).as_posix()] = reasons
    assert set(found) == set(ABORT_SECTIONS)
    for module, reasons in found.items():
        for reason in reasons:
            # config_flow.py holds the options flow too.
            sections = ("options",) if reason == "no_options" else ABORT_SECTIONS[module]
            for section in sections:
                assert reason in _aborts(section), (module, section, reason)
    # Aborts that Home Assistant names: a unique id already configured, a reconfigure saved.
    assert {"already_configured", "reconfigure_successful"} <= _aborts("config")
    assert "reconfigure_successful" in _aborts("config_subentries.kwh_meter")
    assert "reconfigure_successful" in _aborts("config_subentries.wmbus_meter")


def test_smart_meter_flow_aborts_with_any_listening_error() -> None:
    """Adding the smart meter aborts with why nothing was heard: every such reason has a text."""
    listening_errors = {failure.value for failure in ProbeFailure} | {"mqtt_not_configured"}
    assert listening_errors <= _aborts("config_subentries.smart_meter")
