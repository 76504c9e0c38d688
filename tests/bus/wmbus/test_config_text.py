"""wmbusmeters configuration text: the files' content, the curl shell line against a real HTTP
server, the pasted setup run by the real wmbusmeters 2.0.0, and the managed mode's files."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field, replace
import json
import os
from pathlib import Path
import shutil
import stat
from typing import Any

from aiohttp import web
import pytest

from custom_components.benext.bus.wmbus.config_text import (
    MeterLine,
    conf_file,
    http_shell_command,
    meter_file,
    setup_text,
    token_file_text,
    write_config,
)
from tests.peers import LOOPBACK, free_port
from tests.wmbus_fixtures import WMBUS_FIXTURES, WmbusFixture

MULTICAL21 = WMBUS_FIXTURES[0]  # a real AES-encrypted Multical 21 telegram, with its key
QUALCOSONIC = WMBUS_FIXTURES[8]  # an Axioma Qalcosonic E4, decoded without a key
# A token with everything /bin/sh would expand or split if it were not quoted right.
AWKWARD_TOKEN = "eyJhbGciOi.J9x-_ 'single' \"double\" $HOME `id` \\back; | & *"  # noqa: S105
ENDPOINT_PATH = "/api/webhook/benext_wmbus_0123"


def meter_line(fixture: WmbusFixture) -> MeterLine:
    """The meter of a telegram fixture, named as the integration names it."""
    return MeterLine(
        name=f"benext_{fixture.meter_id}",
        driver=fixture.driver,
        meter_id=fixture.meter_id,
        key=fixture.key,
    )


def without_time_and_name(values: dict[str, Any]) -> dict[str, Any]:
    """A telegram's JSON without what differs between runs (time) and setups (meter name)."""
    return {key: value for key, value in values.items() if key not in ("timestamp", "name")}


@dataclass
class Endpoint:
    """An HTTP endpoint on loopback that records what is POSTed to it."""

    url: str
    # Each request's body, Authorization and Content-Type headers.
    received: asyncio.Queue[tuple[bytes, str | None, str | None]] = field(
        default_factory=asyncio.Queue
    )


@pytest.fixture
async def endpoint(socket_enabled: None) -> AsyncGenerator[Endpoint]:
    """A tiny aiohttp server standing in for the integration's telegram endpoint."""
    port = free_port()
    recorder = Endpoint(f"http://{LOOPBACK}:{port}{ENDPOINT_PATH}?from=wmbusmeters&x=1")

    async def receive(request: web.Request) -> web.Response:
        recorder.received.put_nowait(
            (
                await request.read(),
                request.headers.get("Authorization"),
                request.headers.get("Content-Type"),
            )
        )
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post(ENDPOINT_PATH, receive)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, LOOPBACK, port).start()
    yield recorder
    await runner.cleanup()


def test_meter_file() -> None:
    """A meter file: name, id, key and driver, one a line."""
    assert meter_file(meter_line(MULTICAL21)) == (
        "name=benext_76348799\n"
        "id=76348799\n"
        "key=28F64A24988064A079AA2C807D6102AE\n"
        "driver=multical21\n"
    )


def test_meter_file_without_key() -> None:
    """A meter that is not encrypted gets NOKEY."""
    assert "key=NOKEY\n" in meter_file(meter_line(QUALCOSONIC))


def test_conf_file() -> None:
    """The conf file: JSON, no telegram logging, duplicates ignored, the shell line if any."""
    assert conf_file("auto:t1", None) == (
        "loglevel=normal\ndevice=auto:t1\nformat=json\nlogtelegrams=false\nignoreduplicates=true\n"
    )
    assert conf_file("/dev/ttyUSB0:im871a", "echo $METER_JSON", log_to_stdout=True) == (
        "loglevel=normal\n"
        "device=/dev/ttyUSB0:im871a\n"
        "format=json\n"
        "logtelegrams=false\n"
        "ignoreduplicates=true\n"
        "logfile=/dev/stdout\n"
        "shell=echo $METER_JSON\n"
    )


def test_http_shell_command() -> None:
    """The curl line, with and without a bearer token."""
    url = "http://192.168.1.10:8123/api/webhook/abc"

    assert http_shell_command(url, None) == (
        "curl -sS -m 10 -X POST -H 'Content-Type: application/json' "
        "--data-binary \"$METER_JSON\" 'http://192.168.1.10:8123/api/webhook/abc'"
    )
    assert http_shell_command(url, "/etc/wmbusmeters.benext-token") == (
        "curl -sS -m 10 -X POST -H 'Content-Type: application/json' "
        "-H '@/etc/wmbusmeters.benext-token' "
        "--data-binary \"$METER_JSON\" 'http://192.168.1.10:8123/api/webhook/abc'"
    )
    assert token_file_text("tok.en") == "Authorization: Bearer tok.en\n"


@pytest.mark.parametrize(
    ("meter_json", "token"),
    [
        (json.dumps(MULTICAL21.expected, separators=(",", ":")), "eyJhbGciOiJIUzI1NiJ9.e30.sig"),
        ('{"name":"it\'s $HOME `id` \\"q\\" \\\\n; rm -rf /tmp/x"}', AWKWARD_TOKEN),
        ('{"id":"00010203"}', None),
    ],
    ids=["fixture", "awkward", "no-token"],
)
async def test_shell_line_posts_the_exact_json(
    endpoint: Endpoint, meter_json: str, token: str | None, tmp_path: Path
) -> None:
    """/bin/sh runs the line as wmbusmeters does: the endpoint gets METER_JSON and the token,
    which curl read from the token file and which is on no command line."""
    token_file = None
    if token is not None:
        token_file = str(tmp_path / "token file 'x' $HOME")
        Path(token_file).write_text(token_file_text(token), encoding="utf-8")
    command = http_shell_command(endpoint.url, token_file)
    assert token is None or token not in command
    process = await asyncio.create_subprocess_exec(
        "/bin/sh",
        "-c",
        command,
        env={"PATH": os.environ["PATH"], "METER_JSON": meter_json},
    )
    assert await process.wait() == 0

    body, authorization, content_type = await asyncio.wait_for(endpoint.received.get(), 5)
    assert body == meter_json.encode()
    assert authorization == (None if token is None else f"Bearer {token}")
    assert content_type == "application/json"


def files_of_setup_text(text: str, root: Path) -> None:
    """Write the pasted setup where wmbusmeters looks for it under `root`."""
    for section in text.split("\n\n"):
        header = section.split("\n", 1)[0]
        assert header.startswith("# /")
        path = Path(header.removeprefix("# "))
        if not path.is_relative_to(root):
            assert header.startswith("# /etc/")
            path = root / header.removeprefix("# /")
        path.parent.mkdir(parents=True, exist_ok=True)
        # The header line is pasted along: a comment to wmbusmeters, and a line without a
        # colon, which curl does not send, in the token file.
        path.write_text(section.rstrip("\n") + "\n", encoding="utf-8")
        path.chmod(0o600)


def test_setup_text_lists_each_file_under_its_path() -> None:
    """The text to paste: the conf file with the curl line, then each meter file."""
    text = setup_text(
        "http://ha.local:8123/api/webhook/x",
        "tok",
        "auto:c1",
        [meter_line(MULTICAL21), meter_line(QUALCOSONIC)],
    )

    assert text == (
        "# /etc/wmbusmeters.conf\n"
        + conf_file(
            "auto:c1",
            http_shell_command(
                "http://ha.local:8123/api/webhook/x", "/etc/wmbusmeters.benext-token"
            ),
        )
        + "\n# /etc/wmbusmeters.benext-token\nAuthorization: Bearer tok\n"
        + "\n# /etc/wmbusmeters.d/benext_76348799\n"
        + meter_file(meter_line(MULTICAL21))
        + "\n# /etc/wmbusmeters.d/benext_29481002\n"
        + meter_file(meter_line(QUALCOSONIC))
    )


async def test_pasted_setup_posts_decoded_telegrams(endpoint: Endpoint, tmp_path: Path) -> None:
    """The real wmbusmeters 2.0.0 with the pasted setup POSTs each decoded telegram to us."""
    program = shutil.which("wmbusmeters")
    assert program is not None, "wmbusmeters is part of the test set-up (scripts/lib/toolchain.sh)"
    fixtures = [MULTICAL21, QUALCOSONIC]
    token_file = tmp_path / "etc" / "wmbusmeters.benext-token"
    text = setup_text(
        endpoint.url,
        AWKWARD_TOKEN,
        "stdin:hex",
        [meter_line(fixture) for fixture in fixtures],
        token_file=str(token_file),
    )
    assert AWKWARD_TOKEN not in text.split("\n\n")[0]  # not in the conf file's shell= line
    files_of_setup_text(text, tmp_path)
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600

    process = await asyncio.create_subprocess_exec(
        program,
        f"--useconfig={tmp_path}",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    hex_lines = "".join(fixture.telegram_hex + "\n" for fixture in fixtures)
    stdout, stderr = await asyncio.wait_for(process.communicate(hex_lines.encode()), 10)

    assert process.returncode == 0, stderr
    assert stdout == b""  # the JSON went to curl, and our endpoint answers with no body
    for fixture in fixtures:
        body, authorization, content_type = await asyncio.wait_for(endpoint.received.get(), 5)
        posted = json.loads(body)
        assert without_time_and_name(posted) == without_time_and_name(fixture.expected)
        assert posted["name"] == f"benext_{fixture.meter_id}"
        assert authorization == f"Bearer {AWKWARD_TOKEN}"
        assert content_type == "application/json"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"meter_id": "1234567"}, "8 digits"),
        ({"meter_id": "1234567a"}, "8 digits"),
        ({"key": "28F64A24988064A079AA2C807D6102A"}, "32 hex digits"),
        ({"key": "28F64A24988064A079AA2C807D6102AG"}, "32 hex digits"),
        ({"key": "NOKEY"}, "32 hex digits"),
        ({"name": "../etc/passwd"}, "meter name"),
        ({"name": "a b"}, "meter name"),
        ({"name": ""}, "meter name"),
        ({"driver": "multical21\nshell=touch /tmp/owned"}, "driver"),
    ],
)
def test_meter_line_refuses_what_wmbusmeters_would_not_load(
    values: dict[str, str], message: str
) -> None:
    """Ids, keys, names (file names) and drivers that are wrong or break the file's lines."""
    valid = MeterLine("benext_76348799", "auto", "76348799", None)

    with pytest.raises(ValueError, match=message):
        replace(valid, **values)


def test_values_cannot_add_lines() -> None:
    """A line break in the device, URL or token would inject settings: refused."""
    with pytest.raises(ValueError, match="device"):
        conf_file("auto:t1\nshell=touch /tmp/owned", None)
    with pytest.raises(ValueError, match="URL"):
        http_shell_command("http://x/\nshell=touch /tmp/owned", None)
    with pytest.raises(ValueError, match="token"):
        token_file_text("tok\nshell=touch /tmp/owned")
    with pytest.raises(ValueError, match="token file"):
        http_shell_command("http://x/", "/etc/tok\nshell=touch /tmp/owned")


def mode(path: Path) -> int:
    """The permission bits of a file or directory."""
    return stat.S_IMODE(path.stat().st_mode)


def test_write_config_for_the_managed_mode(tmp_path: Path) -> None:
    """The conf file without shell line and one meter file each, readable by us only."""
    directory = tmp_path / "benext" / "entry"
    meters = [meter_line(MULTICAL21), meter_line(QUALCOSONIC)]

    assert write_config(directory, "rtlwmbus", meters) == directory

    etc = directory / "etc"
    assert (etc / "wmbusmeters.conf").read_text() == conf_file("rtlwmbus", None)
    assert sorted(path.name for path in (etc / "wmbusmeters.d").iterdir()) == [
        "benext_29481002",
        "benext_76348799",
    ]
    for meter in meters:
        assert (etc / "wmbusmeters.d" / meter.name).read_text() == meter_file(meter)
    assert sorted(path.name for path in etc.iterdir()) == ["wmbusmeters.conf", "wmbusmeters.d"]
    for path in (directory, etc, etc / "wmbusmeters.d"):
        assert mode(path) == 0o700
    for path in (etc / "wmbusmeters.conf", *(etc / "wmbusmeters.d").iterdir()):
        assert mode(path) == 0o600


def test_write_config_replaces_the_meters(tmp_path: Path) -> None:
    """Writing again leaves exactly the new meters, and tightens loose permissions."""
    write_config(tmp_path, "auto:t1", [meter_line(MULTICAL21), meter_line(QUALCOSONIC)])
    (tmp_path / "etc" / "wmbusmeters.conf").chmod(0o644)
    (tmp_path / "etc" / "wmbusmeters.d").chmod(0o755)
    changed = MeterLine("benext_76348799", "auto", "76348799", None)

    write_config(tmp_path, "auto:c1", [changed])

    meters_dir = tmp_path / "etc" / "wmbusmeters.d"
    assert [path.name for path in meters_dir.iterdir()] == ["benext_76348799"]
    assert (meters_dir / "benext_76348799").read_text() == meter_file(changed)
    assert "device=auto:c1\n" in (tmp_path / "etc" / "wmbusmeters.conf").read_text()
    assert mode(tmp_path / "etc" / "wmbusmeters.conf") == 0o600
    assert mode(meters_dir) == 0o700


def test_write_config_refuses_two_meters_of_one_name(tmp_path: Path) -> None:
    """Two meters cannot share a meter file."""
    with pytest.raises(ValueError, match="share"):
        write_config(tmp_path, "auto:t1", [meter_line(MULTICAL21), meter_line(MULTICAL21)])
    assert not (tmp_path / "etc").exists()
