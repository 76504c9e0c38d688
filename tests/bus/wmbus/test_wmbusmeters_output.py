"""The installed wmbusmeters (2.0.0 in the test set-up) against the fixtures and the driver list.

Its `stdin:jsonl` mode decodes one request per line and prints each telegram as a
multi-line object (2.0.0) or a line (3.x): parse_body must take either as a stream.
"""

from __future__ import annotations

from dataclasses import replace
import json
import shutil
import subprocess

from custom_components.benext.bus.wmbus.drivers import SELECTABLE_DRIVERS
from custom_components.benext.bus.wmbus.telegram import parse_body, parse_telegram
from tests.wmbus_fixtures import NOKEY, WMBUS_FIXTURES


def wmbusmeters(*args: str, stdin: str = "") -> str:
    """What the installed wmbusmeters prints on stdout."""
    program = shutil.which("wmbusmeters")
    assert program is not None, "wmbusmeters is part of the test set-up (scripts/lib/toolchain.sh)"
    return subprocess.run(  # noqa: S603 (a fixed program with fixed arguments)
        [program, *args], input=stdin, capture_output=True, text=True, check=True, timeout=30
    ).stdout


def test_decoded_stream_matches_the_fixtures() -> None:
    """Every fixture telegram, decoded now, gives the telegram its recorded 2.0.0 JSON gives."""
    requests = "".join(
        json.dumps(
            {"_": "decode", "telegram": f.telegram_hex, "key": f.key or NOKEY, "driver": f.driver}
        )
        + "\n"
        for f in WMBUS_FIXTURES
    )
    printed = wmbusmeters(
        "--format=json", "--ignoreduplicates=false", "stdin:jsonl", stdin=requests
    )
    decoded = [parse_telegram(value) for value in parse_body(printed)]
    expected = [parse_telegram(f.expected) for f in WMBUS_FIXTURES]
    # Only the receive time differs (the fixtures carry wmbusmeters' test placeholder).
    assert [replace(t, timestamp=None) for t in decoded] == [
        replace(t, timestamp=None) for t in expected
    ]
    assert all(t.timestamp is not None and t.timestamp.year > 2000 for t in decoded)


def test_selectable_drivers_are_wmbusmeters_drivers() -> None:
    """The UI offers only drivers the installed wmbusmeters has."""
    listed = {line.split()[0] for line in wmbusmeters("--listmeters").splitlines() if line.strip()}
    assert set(SELECTABLE_DRIVERS) <= listed
