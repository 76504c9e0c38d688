"""The managed mode: wmbusmeters as a child process whose JSON output we read."""

from __future__ import annotations

import asyncio
import codecs
from collections.abc import Callable
import contextlib
from dataclasses import dataclass
import logging
import os
from pathlib import Path
import re
import shutil
import signal

from .config_text import MeterLine, write_config
from .json_stream import JsonObjectStream

PROGRAM_NAME = "wmbusmeters"
# SIGTERM lets wmbusmeters close its radio; a child still running after this is killed.
STOP_GRACE_SECONDS = 5.0
# How long the pipes may stay open after the child exited, for the last output to be read.
DRAIN_SECONDS = 1.0
# A child that ran this long was healthy: the next restart waits the shortest delay again.
HEALTHY_RUN_SECONDS = 60.0
READ_SIZE = 65536

_KEY = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])")
_MASKED_KEY = "*" * 32
# wmbusmeters' messages about a wrong key, a missing radio or a bad setting.
_TROUBLE = re.compile(
    r"error|warning|fail|cannot|could not|not a valid|no such|usage|no wmbus device|"
    r"other wmbusmeters",
    re.IGNORECASE,
)

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ManagedSettings:
    """What the managed wmbusmeters runs: the program, the radio and the meters."""

    program: str  # path of the wmbusmeters binary
    # The radio: "auto:t1", "rtlwmbus", "/dev/ttyUSB0:im871a"; in tests a simulation
    # file or "stdin:hex".
    device: str
    meters: tuple[MeterLine, ...]
    config_dir: Path  # where the configuration is written (it holds the keys)


def find_wmbusmeters() -> str | None:
    """The path of the wmbusmeters program on PATH, if any.

    It stats the directories of PATH: callers in the event loop run it in an executor.
    """
    return shutil.which(PROGRAM_NAME)


def mask_keys(line: str, keys: tuple[str, ...] = ()) -> str:
    """`line` with the given keys, and anything else that looks like a 32-hex-digit key, masked."""
    for key in keys:
        line = re.sub(re.escape(key), _MASKED_KEY, line, flags=re.IGNORECASE)
    return _KEY.sub(_MASKED_KEY, line)


class WmbusmetersRunner:
    """Runs wmbusmeters as a child process (no shell) and hands on every JSON object it prints.

    Every object goes to `on_object`. When the child exits it is restarted with back-off
    (1 s doubling to 60 s, back to 1 s after a child ran for a minute), and it is stopped on
    request (SIGTERM, then SIGKILL after a grace period). Its stderr lines go to the logger at
    debug level (warning for lines that look like errors) with any 32-hex-digit key masked.
    The meters' keys are only in the configuration files (mode 0600), never in argv.
    The callbacks run in the event loop and must not block.
    """

    def __init__(
        self,
        settings: ManagedSettings,
        on_object: Callable[[object], None],
        *,
        on_running: Callable[[bool], None] | None = None,
        on_log_line: Callable[[str], None] | None = None,
        logger: logging.Logger | None = None,
        stdin_data: bytes | None = None,
        backoff: tuple[float, float] = (1.0, 60.0),
    ) -> None:
        """A runner that is idle until `async_start`.

        `on_running` hears when the child starts (True) and exits (False), `on_log_line`
        each log line (keys masked); `stdin_data`
        (for tests) is written to each child's stdin, which is then closed; `backoff` is the
        first and the longest delay before a restart, in seconds.
        """
        self._settings = settings
        self._on_object = on_object
        self._on_running = on_running
        self._on_log_line = on_log_line
        self._logger = logger or _LOGGER
        self._stdin_data = stdin_data
        self._first_delay, self._longest_delay = backoff
        self._keys = tuple(meter.key for meter in settings.meters if meter.key is not None)
        self._task: asyncio.Task[None] | None = None
        # Counts the stops, so that a start that a stop overtook does not go on.
        self._stops = 0
        self._running = False
        self._restarts = 0

    @property
    def running(self) -> bool:
        """Whether a wmbusmeters child is alive right now."""
        return self._running

    @property
    def restarts(self) -> int:
        """How many times the child was started again after an exit or a failed start."""
        return self._restarts

    async def async_start(self) -> None:
        """Write the configuration (in an executor) and start supervising the child.

        Raises ValueError for invalid settings and OSError when the configuration cannot be
        written; a missing program is no error here: it is logged and retried.
        """
        if self._task is not None:
            return
        stops = self._stops
        settings = self._settings
        await asyncio.get_running_loop().run_in_executor(
            None, write_config, settings.config_dir, settings.device, settings.meters
        )
        if self._task is None and self._stops == stops:
            self._task = asyncio.create_task(self._supervise(), name="benext wmbusmeters")

    async def async_stop(self) -> None:
        """Stop supervising and stop the child, waiting until it is gone; idempotent."""
        self._stops += 1
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def _supervise(self) -> None:
        loop = asyncio.get_running_loop()
        delay = self._first_delay
        reported_failure = False
        while True:
            started = loop.time()
            try:
                exit_code = await self._run_child()
            except OSError as error:
                # The program is missing or not executable: say so once, keep retrying
                # (an add-on or a package may install it later).
                level = logging.DEBUG if reported_failure else logging.ERROR
                self._logger.log(level, "Cannot start %s: %s", self._settings.program, error)
                reported_failure = True
            except Exception:
                self._logger.exception("Error running wmbusmeters")
            else:
                reported_failure = False
                if loop.time() - started >= HEALTHY_RUN_SECONDS:
                    delay = self._first_delay
                self._logger.warning(
                    "wmbusmeters exited with code %s; restarting in %.3g s", exit_code, delay
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._longest_delay)
            self._restarts += 1

    async def _run_child(self) -> int:
        """Run one child until it exits; returns its exit code. Stops the child if cancelled."""
        process = await asyncio.create_subprocess_exec(
            self._settings.program,
            f"--useconfig={self._settings.config_dir}",
            stdin=asyncio.subprocess.DEVNULL
            if self._stdin_data is None
            else asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            # Its own process group, so stopping it also stops what it runs (rtl_sdr).
            start_new_session=True,
        )
        self._set_running(True)
        pipes: list[asyncio.Task[None]] = []
        try:
            stdout, stderr = process.stdout, process.stderr
            if stdout is None or stderr is None:
                raise RuntimeError("wmbusmeters was started without its output pipes")
            pipes += [
                asyncio.create_task(self._read_objects(stdout)),
                asyncio.create_task(self._read_log(stderr)),
            ]
            if process.stdin is not None and self._stdin_data is not None:
                pipes.append(
                    asyncio.create_task(self._write_stdin(process.stdin, self._stdin_data))
                )
            exit_code = await process.wait()
            # What it started (an rtlwmbus radio's rtl_sdr pipeline) may still hold its pipes
            # open and keep the readers waiting: it goes too. What is in the pipes is still read.
            self._signal(process, signal.SIGTERM)
            _, pending = await asyncio.wait(pipes, timeout=DRAIN_SECONDS)
            if pending:
                self._signal(process, signal.SIGKILL)
            return exit_code
        finally:
            await self._stop_child(process)
            await self._end_pipes(pipes)
            self._set_running(False)

    async def _end_pipes(self, pipes: list[asyncio.Task[None]]) -> None:
        for pipe in pipes:
            pipe.cancel()
        for outcome in await asyncio.gather(*pipes, return_exceptions=True):
            if isinstance(outcome, Exception):
                self._logger.error("Error reading wmbusmeters", exc_info=outcome)

    def _set_running(self, running: bool) -> None:
        self._running = running
        if self._on_running is not None:
            self._on_running(running)

    async def _read_objects(self, stdout: asyncio.StreamReader) -> None:
        stream = JsonObjectStream()
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while chunk := await stdout.read(READ_SIZE):
            skipped = stream.skipped
            for value in stream.feed(decoder.decode(chunk)):
                self._hand_on(value)
            if stream.skipped > skipped:
                self._logger.debug(
                    "Skipped %d characters of wmbusmeters output that are no JSON object",
                    stream.skipped - skipped,
                )

    def _hand_on(self, value: object) -> None:
        try:
            self._on_object(value)
        except Exception:
            # One telegram the receiver chokes on must not stop the reading.
            self._logger.exception("Error handling a wmbusmeters telegram")

    async def _read_log(self, stderr: asyncio.StreamReader) -> None:
        while True:
            try:
                raw = await stderr.readline()
            except ValueError:
                continue  # a line longer than the stream's limit was dropped
            if not raw:
                return
            line = mask_keys(raw.decode("utf-8", "replace").rstrip(), self._keys)
            if line:
                level = logging.WARNING if _TROUBLE.search(line) else logging.DEBUG
                self._logger.log(level, "wmbusmeters: %s", line)
                if self._on_log_line is not None:
                    self._on_log_line(line)

    @staticmethod
    async def _write_stdin(stdin: asyncio.StreamWriter, data: bytes) -> None:
        with contextlib.suppress(ConnectionError):
            stdin.write(data)
            await stdin.drain()
        stdin.close()

    async def _stop_child(self, process: asyncio.subprocess.Process) -> None:
        """SIGTERM, SIGKILL after the grace period, and reap it: no process left behind."""
        if process.returncode is None:
            self._signal(process, signal.SIGTERM)
            try:
                async with asyncio.timeout(STOP_GRACE_SECONDS):
                    await process.wait()
            except TimeoutError:
                self._logger.warning("wmbusmeters did not stop on SIGTERM; killing it")
                self._signal(process, signal.SIGKILL)
                await process.wait()

    @staticmethod
    def _signal(process: asyncio.subprocess.Process, signum: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
