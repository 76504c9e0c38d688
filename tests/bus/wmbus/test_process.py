"""WmbusmetersRunner against the real wmbusmeters 2.0.0: decoding, keys, restarts, stopping.

The radio is a serial port (a socat pty pair) on which wmbusmeters reads raw frames
(`<tty>:9600`, frames without their DLL CRCs), as from a wM-Bus stick: the child keeps
running until it is stopped. A simulation file and stdin stand in where the child should
exit by itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
from itertools import pairwise
import json
import logging
import os
from pathlib import Path
import shutil
import stat
from typing import Any

import pytest

from custom_components.benext.bus.wmbus import process as process_module
from custom_components.benext.bus.wmbus.config_text import MeterLine
from custom_components.benext.bus.wmbus.process import (
    ManagedSettings,
    WmbusmetersRunner,
    find_wmbusmeters,
    mask_keys,
)
from tests.peers import SerialPtyPair
from tests.wmbus_fixtures import WMBUS_FIXTURES, WmbusFixture

MULTICAL21 = WMBUS_FIXTURES[0]  # a real AES-encrypted Multical 21 telegram, with its key
QUALCOSONIC = WMBUS_FIXTURES[8]  # an Axioma Qalcosonic E4, decoded without a key
WRONG_KEY = "00112233445566778899AABBCCDDEEFF"
LOGGER_NAME = "tests.benext.wmbusmeters"
WAIT_SECONDS = 5.0


def wmbusmeters() -> str:
    """The real wmbusmeters program of the test root."""
    program = shutil.which("wmbusmeters")
    assert program is not None, "wmbusmeters is part of the test set-up (scripts/lib/toolchain.sh)"
    return program


def meter_line(fixture: WmbusFixture, key: str | None = None) -> MeterLine:
    """The meter of a telegram fixture as the integration configures it."""
    return MeterLine(
        name=f"benext_{fixture.meter_id}",
        driver=fixture.driver,
        meter_id=fixture.meter_id,
        key=key or fixture.key,
    )


def without_time_and_name(values: Any) -> dict[str, Any]:
    """A telegram's JSON without what differs between runs (time) and setups (meter name)."""
    assert isinstance(values, dict)
    return {key: value for key, value in values.items() if key not in ("timestamp", "name")}


def proc_status(pid: int) -> dict[str, str]:
    """The fields of /proc/<pid>/status."""
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {name: value.strip() for name, _, value in (line.partition(":") for line in lines)}


def our_children(name: str) -> list[int]:
    """The pids of this test's child processes called `name`, zombies included."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            status = proc_status(int(entry.name))
            if status["Name"] == name and int(status["PPid"]) == os.getpid():
                children.append(int(entry.name))
    return children


def process_group(pgid: int) -> list[int]:
    """The pids of the processes in a process group."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                # The fields after the command's closing ")": state, ppid, pgrp, ...
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
                if int(fields[2]) == pgid:
                    members.append(int(entry.name))
    return members


class Receiver:
    """What the runner hands on: the objects, and when the child started and stopped."""

    def __init__(self) -> None:
        self.objects: list[object] = []
        self.running: list[bool] = []
        self.started_at: list[float] = []

    def on_object(self, value: object) -> None:
        self.objects.append(value)

    def on_running(self, running: bool) -> None:
        self.running.append(running)
        if running:
            self.started_at.append(asyncio.get_running_loop().time())


async def wait_until(condition: Callable[[], bool]) -> None:
    """Poll until `condition` holds; fails the test after WAIT_SECONDS."""
    async with asyncio.timeout(WAIT_SECONDS):
        while not condition():
            await asyncio.sleep(0.01)


def runner_for(
    settings: ManagedSettings,
    receiver: Receiver,
    *,
    stdin_data: bytes | None = None,
    backoff: tuple[float, float] = (30.0, 60.0),
) -> WmbusmetersRunner:
    """A runner handing on to `receiver`, logging to the test's logger."""
    return WmbusmetersRunner(
        settings,
        receiver.on_object,
        on_running=receiver.on_running,
        logger=logging.getLogger(LOGGER_NAME),
        stdin_data=stdin_data,
        backoff=backoff,
    )


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """The runner's log records, debug level included."""
    caplog.set_level(logging.DEBUG, logger=LOGGER_NAME)
    return caplog


def logged(caplog: pytest.LogCaptureFixture, text: str, level: int | None = None) -> bool:
    """Whether a record of the runner contains `text` (at `level`, when given)."""
    return any(
        text in record.getMessage() and (level is None or record.levelno == level)
        for record in caplog.records
        if record.name == LOGGER_NAME
    )


def send_frames(radio: SerialPtyPair, *fixtures: WmbusFixture) -> None:
    """Send the fixtures' telegrams over the air: raw frames into the far end of the port."""
    fd = os.open(radio.other_end, os.O_RDWR | os.O_NOCTTY)
    try:
        for fixture in fixtures:
            os.write(fd, bytes.fromhex(fixture.telegram_hex))
    finally:
        os.close(fd)


async def test_decodes_the_configured_meters_with_keys_only_in_files(
    serial_pty: SerialPtyPair, tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    """Telegrams on the radio come out decoded; the key is in a 0600 file, not argv or logs."""
    config_dir = tmp_path / "wmbusmeters"
    program = wmbusmeters()
    receiver = Receiver()
    runner = runner_for(
        ManagedSettings(
            program=program,
            device=f"{serial_pty.device}:9600",
            meters=(meter_line(MULTICAL21), meter_line(QUALCOSONIC)),
            config_dir=config_dir,
        ),
        receiver,
    )

    await runner.async_start()
    await wait_until(lambda: logged(log, "Started config rawtty"))
    [child] = our_children("wmbusmeters")
    send_frames(serial_pty, MULTICAL21, QUALCOSONIC)
    await wait_until(lambda: len(receiver.objects) == 2)

    for received, fixture in zip(receiver.objects, [MULTICAL21, QUALCOSONIC], strict=True):
        assert without_time_and_name(received) == without_time_and_name(fixture.expected)
        assert isinstance(received, dict)
        assert received["name"] == f"benext_{fixture.meter_id}"
    running_while_decoding = runner.running
    assert receiver.running == [True]

    # The key is in the meter file (owner only), and neither in argv nor in the environment.
    meter_file = config_dir / "etc" / "wmbusmeters.d" / "benext_76348799"
    assert MULTICAL21.key is not None
    assert f"key={MULTICAL21.key}\n" in meter_file.read_text()
    assert stat.S_IMODE(meter_file.stat().st_mode) == 0o600
    cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
    assert cmdline.split(b"\0")[:-1] == [program.encode(), f"--useconfig={config_dir}".encode()]
    assert MULTICAL21.key.encode() not in Path(f"/proc/{child}/environ").read_bytes()

    await runner.async_stop()

    assert our_children("wmbusmeters") == []
    assert process_group(child) == []
    assert running_while_decoding
    assert not runner.running
    assert receiver.running == [True, False]
    assert runner.restarts == 0
    assert MULTICAL21.key.lower() not in log.text.lower()


async def test_a_wrong_key_is_reported_in_the_log(
    serial_pty: SerialPtyPair, tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    """With a configured meter, wmbusmeters 2.0.0 prints no object for a wrong key: it warns."""
    receiver = Receiver()
    runner = runner_for(
        ManagedSettings(
            program=wmbusmeters(),
            device=f"{serial_pty.device}:9600",
            meters=(meter_line(MULTICAL21, key=WRONG_KEY),),
            config_dir=tmp_path,
        ),
        receiver,
    )

    await runner.async_start()
    await wait_until(lambda: logged(log, "Started config rawtty"))
    send_frames(serial_pty, MULTICAL21)
    await wait_until(lambda: logged(log, "did you use the correct decryption key", logging.WARNING))
    await runner.async_stop()

    assert receiver.objects == []
    assert logged(log, "Permanently ignoring telegrams from id: 76348799", logging.WARNING)
    assert WRONG_KEY.lower() not in log.text.lower()


async def test_a_wrong_key_decode_request_gives_the_error_object(tmp_path: Path) -> None:
    """Asked to decode with a wrong key (stdin:jsonl), 2.0.0 prints the 1970/error object,
    pretty-printed over several lines: it comes out whole."""
    receiver = Receiver()
    request = {"_": "decode", "telegram": MULTICAL21.telegram_hex, "key": WRONG_KEY}
    runner = runner_for(
        ManagedSettings(wmbusmeters(), "stdin:jsonl", (), tmp_path),
        receiver,
        stdin_data=json.dumps(request).encode() + b"\n",
    )

    await runner.async_start()
    await wait_until(lambda: len(receiver.objects) == 1)
    await runner.async_stop()

    assert receiver.objects == [
        {
            "_": "telegram",
            "media": "cold water",
            "meter": "multical21",
            "name": "",
            "id": "76348799",
            "timestamp": "1970-01-01T00:00:00Z",
            "error": "decryption failed, please check key",
            "telegram": MULTICAL21.telegram_hex,
        }
    ]


def simulation_file(directory: Path, *fixtures: WmbusFixture) -> Path:
    """A wmbusmeters simulation file with the fixtures' telegrams: replayed, then it exits."""
    path = directory / "simulation_benext.txt"
    path.write_text("".join(f"telegram=|{fixture.telegram_hex}|\n" for fixture in fixtures))
    return path


async def test_a_child_that_exits_is_restarted_with_backoff(
    tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    """Each run replays the simulation and exits; the delays double up to the longest."""
    receiver = Receiver()
    simulation = simulation_file(tmp_path, MULTICAL21, QUALCOSONIC)
    settings = ManagedSettings(
        wmbusmeters(),
        str(simulation),
        (meter_line(MULTICAL21), meter_line(QUALCOSONIC)),
        tmp_path / "config",
    )
    runner = runner_for(settings, receiver, backoff=(0.02, 0.16))

    await runner.async_start()
    await wait_until(lambda: runner.restarts >= 5 and len(receiver.started_at) >= 6)
    await runner.async_stop()

    assert our_children("wmbusmeters") == []
    assert receiver.running[-1] is False
    # Every run decoded both telegrams (duplicates are only ignored within one run).
    runs = len(receiver.started_at)
    assert 2 * runs - 2 <= len(receiver.objects) <= 2 * runs
    assert [without_time_and_name(value) for value in receiver.objects[:4]] == [
        without_time_and_name(MULTICAL21.expected),
        without_time_and_name(QUALCOSONIC.expected),
    ] * 2
    gaps = [later - earlier for earlier, later in pairwise(receiver.started_at)]
    for gap, delay in zip(gaps, [0.02, 0.04, 0.08, 0.16, 0.16], strict=False):
        assert gap >= delay
    assert gaps[4] < 1.0  # capped at the longest delay, not doubled on
    assert logged(log, "wmbusmeters exited with code 0; restarting in 0.02 s", logging.WARNING)


async def test_the_backoff_starts_over_after_a_healthy_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child that ran long enough was healthy: the next restart waits the shortest delay."""
    monkeypatch.setattr(process_module, "HEALTHY_RUN_SECONDS", 0.0)
    receiver = Receiver()
    simulation = simulation_file(tmp_path, QUALCOSONIC)
    settings = ManagedSettings(
        wmbusmeters(), str(simulation), (meter_line(QUALCOSONIC),), tmp_path / "config"
    )
    runner = runner_for(settings, receiver, backoff=(0.02, 5.0))

    await runner.async_start()
    await wait_until(lambda: len(receiver.started_at) >= 7)
    await runner.async_stop()

    gaps = [later - earlier for earlier, later in pairwise(receiver.started_at)]
    # Doubling, the sixth delay would be 0.64 s.
    assert max(gaps) < 0.5


async def test_a_missing_program_is_logged_and_retried(
    tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    """No crash: one error in the log, retries with back-off, never running."""
    receiver = Receiver()
    missing = tmp_path / "bin" / "wmbusmeters"
    runner = runner_for(
        ManagedSettings(str(missing), "auto:t1", (meter_line(MULTICAL21),), tmp_path / "config"),
        receiver,
        backoff=(0.01, 0.02),
    )

    await runner.async_start()
    await wait_until(lambda: runner.restarts >= 3)
    await runner.async_stop()

    assert receiver.running == []
    assert not runner.running
    errors = [record for record in log.records if record.levelno == logging.ERROR]
    assert len(errors) == 1
    assert f"Cannot start {missing}" in errors[0].getMessage()


def fake_program(directory: Path, script: str) -> str:
    """A shell script standing in for wmbusmeters where the real one cannot misbehave."""
    path = directory / "fakewmbus"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o700)
    return str(path)


async def test_garbage_and_a_child_that_exits_at_once(
    tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    """Garbage on stdout, a receiver that fails and an immediate exit stop nothing;
    stderr goes to the log with keys masked, at warning level when it looks like trouble."""
    key = MULTICAL21.key
    assert key is not None
    program = fake_program(
        tmp_path,
        'printf \'Started {garbage\\n{"id":"1"}\\nnot json {"broken": tx}\\n{"id":"2"}\\n\'\n'
        f"echo '(wmbus) WARNING! key {key} failed' >&2\n"
        f"echo 'a notice about {key.lower()}, {WRONG_KEY}' >&2\n"
        "exit 3\n",
    )
    objects: list[object] = []

    def on_object(value: object) -> None:
        objects.append(value)
        if value == {"id": "1"}:
            raise RuntimeError("the receiver chokes")

    runner = WmbusmetersRunner(
        ManagedSettings(program, "auto:t1", (meter_line(MULTICAL21),), tmp_path / "config"),
        on_object,
        logger=logging.getLogger(LOGGER_NAME),
        backoff=(0.01, 0.02),
    )

    await runner.async_start()
    await wait_until(lambda: runner.restarts >= 2 and len(objects) >= 4)
    await runner.async_stop()

    assert objects[:4] == [{"id": "1"}, {"id": "2"}] * 2
    assert logged(log, "Error handling a wmbusmeters telegram", logging.ERROR)
    assert logged(log, "wmbusmeters exited with code 3", logging.WARNING)
    assert logged(log, f"wmbusmeters: (wmbus) WARNING! key {'*' * 32} failed", logging.WARNING)
    assert logged(log, f"wmbusmeters: a notice about {'*' * 32}, {'*' * 32}", logging.DEBUG)
    assert key.lower() not in log.text.lower()
    assert WRONG_KEY.lower() not in log.text.lower()
    assert our_children("fakewmbus") == []


async def test_a_child_whose_own_child_holds_its_output_is_restarted(
    tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    """The child exits but what it started keeps its stdout and stderr open: that is stopped,
    and the child restarted, as with an rtlwmbus radio's rtl_sdr pipeline."""
    pids = tmp_path / "pids"
    program = fake_program(
        tmp_path, f'echo $$ >> {pids}\nprintf \'{{"id":"1"}}\\n\'\nsleep 30 &\nexit 5\n'
    )
    receiver = Receiver()
    runner = runner_for(
        ManagedSettings(program, "auto:t1", (), tmp_path / "config"), receiver, backoff=(0.01, 0.02)
    )

    await runner.async_start()
    await wait_until(lambda: runner.restarts >= 2 and len(receiver.objects) >= 3)
    await runner.async_stop()

    assert receiver.objects[:3] == [{"id": "1"}] * 3
    assert logged(log, "wmbusmeters exited with code 5", logging.WARNING)
    children = [int(pid) for pid in pids.read_text().split()]
    assert len(children) >= 3
    await wait_until(lambda: all(process_group(child) == [] for child in children))


async def test_stop_kills_a_child_that_ignores_sigterm(
    tmp_path: Path, log: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM, then SIGKILL after the grace period, to the child and what it started."""
    monkeypatch.setattr(process_module, "STOP_GRACE_SECONDS", 0.2)
    program = fake_program(tmp_path, "trap '' TERM\nsleep 30 &\nwhile :; do sleep 0.05; done\n")
    receiver = Receiver()
    runner = runner_for(
        ManagedSettings(program, "auto:t1", (), tmp_path / "config"), receiver, backoff=(0.01, 0.02)
    )
    await runner.async_start()
    await wait_until(lambda: runner.running)
    [child] = our_children("fakewmbus")
    await wait_until(lambda: len(process_group(child)) >= 2)

    loop = asyncio.get_running_loop()
    stopping = loop.time()
    await runner.async_stop()

    assert loop.time() - stopping >= 0.2
    assert logged(log, "did not stop on SIGTERM; killing it", logging.WARNING)
    # The child is reaped; what it started dies of the SIGKILL and is reaped by init.
    await wait_until(lambda: process_group(child) == [])
    assert our_children("fakewmbus") == []
    assert receiver.running == [True, False]


async def test_start_and_stop_are_idempotent(tmp_path: Path) -> None:
    """Stopping before starting, starting twice and stopping twice are harmless."""
    receiver = Receiver()
    runner = runner_for(
        ManagedSettings(wmbusmeters(), "stdin:hex", (meter_line(MULTICAL21),), tmp_path),
        receiver,
        stdin_data=MULTICAL21.telegram_hex.encode() + b"\n",
    )

    await runner.async_stop()
    await runner.async_start()
    await runner.async_start()
    await wait_until(lambda: len(receiver.objects) == 1)
    await runner.async_stop()
    await runner.async_stop()

    assert receiver.running == [True, False]
    assert our_children("wmbusmeters") == []


async def test_a_stop_during_the_start_wins(tmp_path: Path) -> None:
    """A stop that comes while the configuration is being written leaves nothing running."""
    receiver = Receiver()
    runner = runner_for(
        ManagedSettings(wmbusmeters(), "stdin:hex", (meter_line(MULTICAL21),), tmp_path),
        receiver,
        stdin_data=MULTICAL21.telegram_hex.encode() + b"\n",
    )

    starting = asyncio.create_task(runner.async_start())
    await asyncio.sleep(0)  # the start now waits for the configuration to be written
    await runner.async_stop()
    await starting
    await asyncio.sleep(0.2)

    assert (tmp_path / "etc" / "wmbusmeters.conf").exists()
    assert receiver.running == []
    assert our_children("wmbusmeters") == []


def test_find_wmbusmeters(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The program is found on PATH, or not at all."""
    assert find_wmbusmeters() == wmbusmeters()
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_wmbusmeters() is None


def test_mask_keys() -> None:
    """Configured keys are masked in any case, even inside longer hex; other runs of exactly
    32 hex digits too; longer hex (a telegram) is left alone."""
    telegram = MULTICAL21.telegram_hex
    line = f"id=ab28f64a24988064a079aa2c807d6102ae {WRONG_KEY}, telegram {telegram}"

    assert mask_keys(line, ("28F64A24988064A079AA2C807D6102AE",)) == (
        f"id=ab{'*' * 32} {'*' * 32}, telegram {telegram}"
    )
