"""The wM-Bus telegram fixtures: what wmbusmeters 2.0.0 and 3.0.0 print for 16 telegrams.

tests/fixtures/wmbus_telegrams.json is a copy of ../shared/fixtures/wmbus_telegrams.json
(see tests/fixtures/README.md). Each fixture's expected JSON has its timestamp replaced by
1111-11-11T11:11:11Z, as wmbusmeters' own test suite does.
"""

from __future__ import annotations

from dataclasses import dataclass
import json
from pathlib import Path
from typing import Any

WMBUS_FIXTURE_FILE = Path(__file__).parent / "fixtures" / "wmbus_telegrams.json"
NOKEY = "NOKEY"


@dataclass(frozen=True, slots=True)
class WmbusFixture:
    """One telegram, how to feed it to wmbusmeters, and the JSON each version printed."""

    index: int
    driver: str  # wmbusmeters 2.0.0's driver name (3.x accepts it as an alias)
    meter_id: str
    key: str | None  # the AES key in hex; None when the telegram is not encrypted (NOKEY)
    kind: str  # real_encrypted, plain_unencrypted, pre_decrypted_simulation or synthetic
    product: str
    telegram_hex: str
    expected: dict[str, Any]  # wmbusmeters 2.0.0's JSON
    expected_3: dict[str, Any]  # wmbusmeters 3.0.0's JSON
    wmbusmeters_args: tuple[str, ...]  # name driver id key, for the command line


def _fixture(index: int, entry: dict[str, Any]) -> WmbusFixture:
    return WmbusFixture(
        index=index,
        driver=entry["driver"],
        meter_id=entry["id"],
        key=None if entry["key"] == NOKEY else entry["key"],
        kind=entry["kind"],
        product=entry["product"],
        telegram_hex=entry["telegram_hex"],
        expected=json.loads(entry["expected_json"]),
        expected_3=json.loads(entry["expected_json_3_0_0"]),
        wmbusmeters_args=tuple(entry["wmbusmeters_args"]),
    )


WMBUS_FIXTURES: list[WmbusFixture] = [
    _fixture(index, entry)
    for index, entry in enumerate(json.loads(WMBUS_FIXTURE_FILE.read_text(encoding="utf-8")))
]


def fixture_id(fixture: WmbusFixture) -> str:
    """A pytest id: the fixture's index, driver and meter id ("03-multical21-76348799")."""
    return f"{fixture.index:02d}-{fixture.driver}-{fixture.meter_id}"
