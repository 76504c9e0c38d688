"""Seed a development config with a demo BeNext installation.

Usage: `python scripts/seed_demo_entry.py config`.

If `<config>/.storage/core.config_entries` holds no `benext` entry, one is added (the
entries already there are kept) that points at the simulated home's peers
(`scripts/simulated_home`): the P1 port with the smart meter and its gas meter, the RS485
bus with its three kWh meters, and the wireless M-Bus bus, whose wmbusmeters posts to a
fixed webhook id with a fixed token, with its four meters. Each meter is a subentry. The
file is written in Home Assistant's own storage format, built with its own classes, so it
is exactly what Home Assistant would write after adding the installation from the UI. Run
it while Home Assistant is stopped: Home Assistant keeps the file in memory and overwrites
it. It also writes the HTTP server's settings (127.0.0.1:8123) to `.storage/http`.

An entry that exists is never changed: a demo installation seeded before a bus was
added to it (wM-Bus, for one) stays without it. To get the current one, delete the
BeNext installations (in Home Assistant: Settings, Devices & services, BeNext, Delete;
or, with Home Assistant stopped, their `"domain":"benext"` objects in
`config/.storage/core.config_entries`); the next `scripts/develop` seeds it again.
"""

from __future__ import annotations

import json
from pathlib import Path
import sys
import time
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from simulated_home import endpoints, p1

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigSubentryData

DOMAIN = "benext"
TITLE = "Demo home"
ENGLISH = Path(__file__).parent.parent / "custom_components" / DOMAIN / "translations" / "en.json"


# The wM-Bus roles' English names, where translations/en.json does not have them yet.
WMBUS_ROLE_NAMES = {
    "space_heating": "Space heating",
    "hot_tap_water": "Hot tap water",
    "cold_water": "Cold water",
    "indoor_climate": "Indoor climate",
    "radiator": "Radiator",
}


def _role_options(selector: str) -> dict[str, str]:
    translations = json.loads(ENGLISH.read_text(encoding="utf-8"))
    options: dict[str, str] = translations.get("selector", {}).get(selector, {}).get("options", {})
    return options


def role_names() -> dict[str, str]:
    """The kWh meter roles' English names, as the subentry flow titles a meter."""
    return _role_options("kwh_meter_role")


def wmbus_role_names() -> dict[str, str]:
    """The wM-Bus meter roles' English names, as the subentry flow titles a meter."""
    return WMBUS_ROLE_NAMES | _role_options("wmbus_meter_role")


def demo_entry_data() -> dict[str, Any]:
    """The installation: P1 and RS485 Modbus over the network, wM-Bus posted to a webhook."""
    return {
        "p1": {
            "transport": "network",
            "network": {"host": endpoints.HOST, "port": endpoints.P1_PORT},
        },
        "modbus": {
            "transport": "tcp",
            "network": {"host": endpoints.HOST, "port": endpoints.MODBUS_PORT},
        },
        "wmbus": {
            "transport": "http",
            "webhook_id": endpoints.WMBUS_WEBHOOK_ID,
            "token": endpoints.WMBUS_TOKEN,
        },
    }


def smart_meter_subentry() -> ConfigSubentryData:
    """The simulated smart meter with its gas meter, as the smart meter flow stores it."""
    from custom_components.benext.bus.p1.detection import detect  # noqa: PLC0415
    from custom_components.benext.p1.settings import settings_from_detected  # noqa: PLC0415

    meter = detect(p1.telegram_at(time.time()))
    if meter is None:
        raise RuntimeError("the simulated home's P1 telegram is not read as a smart meter")
    settings = settings_from_detected(meter, meter.version, None)
    return {
        "data": settings.as_data(),
        "subentry_type": "smart_meter",
        "title": "Smart meter · P1",
        "unique_id": settings.serial,
    }


def demo_subentries() -> list[ConfigSubentryData]:
    """One subentry per meter: the smart meter, the RS485 kWh meters, the wireless ones."""
    names = role_names()
    kwh_meters: list[ConfigSubentryData] = [
        {
            "data": {"role": role, "address": address, "model": model},
            "subentry_type": "kwh_meter",
            "title": f"{names[role]} · Modbus {address}",
            "unique_id": None,
        }
        for address, (role, model) in endpoints.KWH_METERS.items()
    ]
    wmbus_names = wmbus_role_names()
    # The simulated meters send unencrypted or already decrypted telegrams: no key.
    wmbus_meters: list[ConfigSubentryData] = [
        {
            "data": {"meter_id": meter_id, "driver": driver, "key": None, "role": role},
            "subentry_type": "wmbus_meter",
            "title": f"{wmbus_names[role]} · wM-Bus {meter_id}",
            "unique_id": meter_id,
        }
        for meter_id, (role, driver) in endpoints.WMBUS_METERS.items()
    ]
    return [smart_meter_subentry(), *kwh_meters, *wmbus_meters]


def seed_http_config(config_dir: Path, port: int = endpoints.HOME_ASSISTANT_PORT) -> None:
    """Home Assistant listens on 127.0.0.1:8123, as the README says (or on another port).

    Since 2026.8 the HTTP server's settings live in `.storage/http` (Settings, System,
    Network): an `http:` block in configuration.yaml is imported once as a trial that is
    reverted, with a restart, unless confirmed in the UI within 5 minutes. The confirmed
    ("stable") settings are written here instead, in Home Assistant's own format.
    """
    from homeassistant.components.http.config import (  # noqa: PLC0415
        HTTP_STORAGE_SCHEMA,
        STORAGE_KEY as HTTP_STORAGE_KEY,
        STORAGE_MINOR_VERSION as HTTP_STORAGE_MINOR_VERSION,
        STORAGE_VERSION as HTTP_STORAGE_VERSION,
    )
    from homeassistant.helpers.json import prepare_save_json  # noqa: PLC0415
    from homeassistant.util import dt as dt_util  # noqa: PLC0415
    from homeassistant.util.file import write_utf8_file_atomic  # noqa: PLC0415

    path = config_dir / ".storage" / HTTP_STORAGE_KEY
    wanted = {"server_host": [endpoints.HOST], "server_port": port}
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    if stored is not None:
        stable = stored["data"]["stable"]
        if all(stable.get(key) == value for key, value in wanted.items()):
            return
    stable = {
        **HTTP_STORAGE_SCHEMA(wanted),
        "created_at": dt_util.utcnow().isoformat(),
        "error": None,
        "error_message": None,
    }
    data = {"stable": stable, "pending": None, "yaml_migration_done": True}
    path.parent.mkdir(parents=True, exist_ok=True)
    mode, text = prepare_save_json(
        {
            "version": HTTP_STORAGE_VERSION,
            "minor_version": HTTP_STORAGE_MINOR_VERSION,
            "key": HTTP_STORAGE_KEY,
            "data": data,
        }
    )
    write_utf8_file_atomic(str(path), text, private=True, mode=mode)
    print(f"Seeded {path}: Home Assistant listens on http://{endpoints.HOST}:{port}")


def main(config_dir: Path) -> int:
    seed_http_config(config_dir)
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
        discovery_keys=MappingProxyType({}),
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
