"""Seed a development config with a demo BeNext installation.

Usage: `python scripts/seed_demo_entry.py config`.

If `<config>/.storage/core.config_entries` holds no `benext` entry, one is added (the
entries already there are kept) that points at the simulated home's peers
(`scripts/simulated_home`), with its three kWh meters as subentries. The file is
written in Home Assistant's own storage format, built with its own classes, so it is
exactly what Home Assistant would write after adding the installation from the UI.
Run it while Home Assistant is stopped: Home Assistant keeps the file in memory and
overwrites it.
"""

from __future__ import annotations

import json
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).parent))

from simulated_home import endpoints

DOMAIN = "benext"
TITLE = "Demo home"
ENGLISH = Path(__file__).parent.parent / "custom_components" / DOMAIN / "translations" / "en.json"


def role_names() -> dict[str, str]:
    """The kWh meter roles' English names, as the subentry flow titles a meter."""
    translations = json.loads(ENGLISH.read_text(encoding="utf-8"))
    return translations["selector"]["kwh_meter_role"]["options"]


def demo_entry_data() -> dict:
    """The installation: P1 and RS485 Modbus, both reached over the network."""
    return {
        "p1": {
            "transport": "network",
            "network": {"host": endpoints.HOST, "port": endpoints.P1_PORT},
        },
        "modbus": {
            "transport": "tcp",
            "network": {"host": endpoints.HOST, "port": endpoints.MODBUS_PORT},
        },
    }


def demo_subentries() -> list[dict]:
    """One kwh_meter subentry per meter of the simulated RS485 bus."""
    names = role_names()
    return [
        {
            "data": {"role": role, "address": address, "model": model},
            "subentry_type": "kwh_meter",
            "title": f"{names[role]} · Modbus {address}",
            "unique_id": None,
        }
        for address, (role, model) in endpoints.KWH_METERS.items()
    ]


def main(config_dir: Path) -> int:
    path = config_dir / ".storage" / "core.config_entries"
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    if stored is not None and any(
        entry.get("domain") == DOMAIN for entry in stored["data"]["entries"]
    ):
        return 0  # the fast path: no Home Assistant import needed

    # Imported only when there is something to write; this takes a second or two.
    from homeassistant.config_entries import (  # noqa: PLC0415
        SOURCE_USER,
        STORAGE_KEY,
        STORAGE_VERSION,
        STORAGE_VERSION_MINOR,
        ConfigEntry,
    )
    from homeassistant.helpers.json import prepare_save_json  # noqa: PLC0415
    from homeassistant.util.file import write_utf8_file_atomic  # noqa: PLC0415

    entry = ConfigEntry(
        data=demo_entry_data(),
        discovery_keys={},
        domain=DOMAIN,
        minor_version=1,
        options={"modbus_poll_interval": 30},
        source=SOURCE_USER,
        subentries_data=demo_subentries(),
        title=TITLE,
        unique_id=None,
        version=1,
    )
    if stored is None:
        stored = {
            "version": STORAGE_VERSION,
            "minor_version": STORAGE_VERSION_MINOR,
            "key": STORAGE_KEY,
            "data": {"entries": []},
        }
    elif stored["version"] != STORAGE_VERSION:
        print(f"{path}: storage version {stored['version']} is not {STORAGE_VERSION}; not seeding")
        return 1
    # An older minor version is kept: Home Assistant migrates the file on load, and its
    # migrations only add what is missing, so the new entry passes them unchanged.
    # The entry goes in as Home Assistant stores it: a compact JSON fragment, keys sorted.
    stored["data"]["entries"].append(entry.as_storage_fragment)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode, data = prepare_save_json(stored)
    write_utf8_file_atomic(str(path), data, private=True, mode=mode)
    print(f"Seeded {path} with the {DOMAIN} entry '{TITLE}' ({entry.entry_id})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} CONFIG_DIR")
    sys.exit(main(Path(sys.argv[1])))
