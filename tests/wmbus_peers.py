"""The real wmbusmeters as the tests' peer: it decodes telegrams and posts them to us."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
import json
from pathlib import Path
import shutil
import tempfile
from typing import Any

from aiohttp.test_utils import TestClient
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.bus.wmbus.config_text import http_shell_command, token_file_text
from custom_components.benext.const import DOMAIN
from tests.wmbus_fixtures import WmbusFixture

WEBHOOK_ID = "benext-test-endpoint"
TOKEN = "s3cret-token"  # noqa: S105 -- the tests' own token
WMBUSMETERS = shutil.which("wmbusmeters") or "/usr/bin/wmbusmeters"


@dataclass(frozen=True, slots=True)
class Meter:
    """A meter of the test installation: its subentry id, wM-Bus id, driver, key and role."""

    subentry_id: str
    meter_id: str
    driver: str
    key: str | None
    role: str
    # What an earlier telegram carried, as the installation stores it.
    fields: tuple[str, ...] = ()


def wmbus_meter_subentry(meter: Meter) -> dict[str, Any]:
    """The subentry of a meter, as the installation stores it."""
    return {
        "subentry_id": meter.subentry_id,
        "subentry_type": "wmbus_meter",
        "title": f"{meter.role} · wM-Bus {meter.meter_id}",
        "unique_id": meter.meter_id,
        "data": {
            "meter_id": meter.meter_id,
            "driver": meter.driver,
            "key": meter.key,
            "role": meter.role,
            "fields": list(meter.fields),
        },
    }


def wmbus_entry(
    meters: Sequence[Meter], *, token: str | None = TOKEN, bus: dict[str, Any] | None = None
) -> MockConfigEntry:
    """An installation with these meters, whose wmbusmeters posts to it (or `bus`)."""
    if bus is None:
        bus = {"transport": "http", "webhook_id": WEBHOOK_ID}
        if token is not None:
            bus["token"] = token
    return MockConfigEntry(
        domain=DOMAIN,
        title="Flat 12",
        data={"wmbus": bus},
        subentries_data=[wmbus_meter_subentry(meter) for meter in meters],
    )


async def async_post_with_wmbusmeters(
    url: str, fixtures: Sequence[WmbusFixture], *, token: str | None = TOKEN, key: str | None = None
) -> None:
    """Let the real wmbusmeters decode `fixtures` and post each one through its `shell=` line.

    `key` overrides the fixtures' own keys (a wrong key, say). The token is in a token file
    of mode 0600, as the set-up text asks.
    """
    with tempfile.TemporaryDirectory(prefix="benext-wmbus-") as folder:
        token_file = None
        if token is not None:
            token_file = Path(folder) / "token"
            token_file.touch(mode=0o600)
            token_file.write_text(token_file_text(token), encoding="utf-8")
        shell = http_shell_command(url, None if token_file is None else str(token_file))
        await _async_post_each(shell, fixtures, key)


async def _async_post_each(shell: str, fixtures: Sequence[WmbusFixture], key: str | None) -> None:
    for fixture in fixtures:
        name, driver, meter_id, own_key = fixture.wmbusmeters_args
        process = await asyncio.create_subprocess_exec(
            WMBUSMETERS,
            "--format=json",
            "--ignoreduplicates=false",
            f"--shell={shell}",
            fixture.telegram_hex,
            name,
            driver,
            meter_id,
            key or own_key,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 0, stderr.decode()


async def async_post_wrong_key_telegram(
    client: TestClient[Any, Any], fixture: WmbusFixture, key: str
) -> str:
    """Post what the real wmbusmeters prints when `key` does not decrypt the telegram.

    wmbusmeters 2.0.0 runs no `shell=` for a telegram whose key fails (it logs a warning
    and ignores the meter from then on); only its `stdin:jsonl` decoder prints the failure
    as JSON, with an `error` and the epoch as its time. Returns the endpoint's answer.
    """
    request = json.dumps({"_": "decode", "telegram": fixture.telegram_hex, "key": key})
    process = await asyncio.create_subprocess_exec(
        WMBUSMETERS,
        "--format=json",
        "stdin:jsonl",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(request.encode() + b"\n"), 20)
    assert process.returncode == 0, stderr.decode()
    assert b"decryption failed" in stdout
    response = await client.post(
        f"/api/webhook/{WEBHOOK_ID}",
        data=stdout,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert response.status == 200
    return await response.text()
