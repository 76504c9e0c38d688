"""The wireless M-Bus peer: the real wmbusmeters, decoding the meters' telegrams and posting them.

No radio: the peer starts `wmbusmeters` with `stdin:hex` as its device and the meters in
a temporary `--useconfig` directory (`wmbus_config`), and writes one hex telegram to its
stdin whenever a meter is due (`wmbus_telegrams.METERS`: every 16 s for the water
meter, every 30 to 60 s for the others). wmbusmeters decodes each one and runs its
`shell=` command, curl posting the JSON to the installation's webhook, just as it does
with a radio stick in a real home.

The peer prints when the posts start being accepted, and when they fail (Home Assistant
still starting, a refusal), once per change rather than per telegram. Without
wmbusmeters or curl it says so once and does nothing: the rest of the home runs on.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
import contextlib
from dataclasses import dataclass
import logging
from pathlib import Path
import shutil
import tempfile
import time

from .wmbus_config import POSTED, http_post_command, write_config
from .wmbus_telegrams import METERS, SimulatedWmbusMeter

_LOGGER = logging.getLogger(__name__)
# Seconds between the first telegrams of the meters, so they do not all arrive at once.
STAGGER_S = 0.5
# Seconds wmbusmeters gets to finish its last post after its stdin closes.
EXIT_WAIT_S = 5.0
# The lines of output kept to explain a failed post.
DETAIL_LINES = 3


@dataclass(frozen=True, slots=True)
class SentTelegram:
    """A telegram written to wmbusmeters: which meter, the instant of its values, its bytes."""

    meter_id: str
    ts: float
    telegram: bytes


class WmbusPeer:
    """wmbusmeters fed the simulated meters' telegrams, posting each to a URL with curl.

    `interval_scale` multiplies the meters' intervals (tests use a small one); `clock`
    gives the instant whose values a telegram carries.
    """

    def __init__(
        self,
        url: str,
        token: str | None,
        *,
        meters: Sequence[SimulatedWmbusMeter] = METERS,
        interval_scale: float = 1.0,
        clock: Callable[[], float] = time.time,
        wmbusmeters: str = "wmbusmeters",
        curl: str = "curl",
        quiet: bool = False,
    ) -> None:
        self.url = url
        self.token = token
        self.meters = meters
        self.interval_scale = interval_scale
        self.clock = clock
        self.wmbusmeters = wmbusmeters
        self.curl = curl
        self.quiet = quiet
        self.sent: list[SentTelegram] = []
        # HTTP status of each post, as curl reported it ("000": nothing answered).
        self.statuses: Counter[str] = Counter()
        self._config: tempfile.TemporaryDirectory[str] | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._sender: asyncio.Task[None] | None = None
        self._reader: asyncio.Task[None] | None = None
        self._stopping = False
        self._last_outcome: str | None = None

    @property
    def running(self) -> bool:
        """Whether wmbusmeters runs."""
        return self._process is not None and self._process.returncode is None

    async def start(self) -> None:
        """Start wmbusmeters and the meters; only say so when a program is missing."""
        wmbusmeters, curl = shutil.which(self.wmbusmeters), shutil.which(self.curl)
        if wmbusmeters is None or curl is None:
            missing = [self.wmbusmeters] if wmbusmeters is None else []
            missing += [self.curl] if curl is None else []
            self._say(
                f"wM-Bus: {' and '.join(missing)} not found; the wireless meters are not"
                " simulated (the rest of the home runs)"
            )
            return
        # The first telegram of a meter sums its totals over the year so far (about a
        # second); doing it now keeps the first telegrams on time.
        now = self.clock()
        for meter in self.meters:
            meter.telegram(now)
        self._config = tempfile.TemporaryDirectory(prefix="simulated-wmbus-")
        write_config(
            Path(self._config.name), self.meters, http_post_command(self.url, self.token, curl)
        )
        process = await asyncio.create_subprocess_exec(
            wmbusmeters,
            f"--useconfig={self._config.name}",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            # Its own session: a Ctrl-C to the launcher's process group reaches the
            # simulator, which then ends wmbusmeters by closing its input.
            start_new_session=True,
        )
        self._process = process
        if process.stdin is None or process.stdout is None or process.stderr is None:
            raise RuntimeError("wmbusmeters started without its pipes")
        self._reader = asyncio.create_task(
            self._read_output(process, process.stdout, process.stderr)
        )
        self._sender = asyncio.create_task(self._send(process.stdin))
        meters = ", ".join(f"{m.role} {m.driver} {m.meter_id}" for m in self.meters)
        self._say(f"wM-Bus: wmbusmeters decoding {meters}; posting with curl to {self.url}")

    async def stop(self) -> None:
        """Stop sending, let wmbusmeters finish its last post, and remove its configuration."""
        self._stopping = True
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender
        process = self._process
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()
            try:
                await asyncio.wait_for(process.wait(), EXIT_WAIT_S)
            except TimeoutError:
                process.kill()
                await process.wait()
        if self._reader is not None:
            await self._reader
        if self._config is not None:
            self._config.cleanup()
        self._sender = self._reader = self._process = self._config = None

    async def _send(self, stdin: asyncio.StreamWriter) -> None:
        """Write each meter's telegram to wmbusmeters whenever the meter is due."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        due = [start + n * STAGGER_S * self.interval_scale for n in range(len(self.meters))]
        while True:
            index = min(range(len(due)), key=due.__getitem__)
            await asyncio.sleep(max(0.0, due[index] - loop.time()))
            meter = self.meters[index]
            ts = self.clock()
            telegram = meter.telegram(ts)
            try:
                stdin.write(telegram.hex().upper().encode() + b"\n")
                await stdin.drain()
            except BrokenPipeError, ConnectionResetError:
                return  # wmbusmeters exited; the reader says so
            self.sent.append(SentTelegram(meter.meter_id, ts, telegram))
            _LOGGER.debug("wM-Bus %s %s: %s", meter.role, meter.meter_id, telegram.hex())
            # A peer that fell behind sends on from now instead of in a burst.
            due[index] = max(due[index] + meter.interval_s * self.interval_scale, loop.time())

    async def _read_output(
        self,
        process: asyncio.subprocess.Process,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:
        """Follow wmbusmeters: the posts' reports on stdout, its log on stderr."""
        log: list[str] = []
        await asyncio.gather(self._read_posts(stdout), self._read_log(stderr, log))
        code = await process.wait()
        if not self._stopping:
            self._say(f"wM-Bus: wmbusmeters exited ({code}): {' '.join(log[-DETAIL_LINES:])}")
            if self._sender is not None:
                self._sender.cancel()

    async def _read_posts(self, stdout: asyncio.StreamReader) -> None:
        """Each post's answer text or curl's error, then its `POSTED <id> <status>` line."""
        detail: list[str] = []
        async for raw in stdout:
            line = raw.decode(errors="replace").strip()
            words = line.split()
            if len(words) == 3 and words[0] == POSTED:
                self._posted(words[1], words[2], " ".join(detail[-DETAIL_LINES:]))
                detail.clear()
            elif line:
                detail.append(line)

    @staticmethod
    async def _read_log(stderr: asyncio.StreamReader, log: list[str]) -> None:
        async for raw in stderr:
            line = raw.decode(errors="replace").strip()
            _LOGGER.debug("wmbusmeters: %s", line)
            log.append(line)
            del log[:-DETAIL_LINES]

    def _posted(self, meter_id: str, status: str, detail: str) -> None:
        """Count a post's outcome; print it when it differs from the previous one."""
        self.statuses[status] += 1
        outcome = "accepted" if status.startswith("2") else status
        if outcome == self._last_outcome:
            return
        self._last_outcome = outcome
        if outcome == "accepted":
            self._say(f"wM-Bus: Home Assistant accepts the telegrams (HTTP {status})")
        elif status == "000":
            self._say(
                f"wM-Bus: nothing answers at {self.url} yet ({detail}); the meters keep sending"
            )
        else:
            hint = (
                " (Home Assistant still starting? If it stays, the installation has no such"
                " webhook: see scripts/seed_demo_entry.py)"
                if status == "404"
                else ""
            )
            self._say(f"wM-Bus: HTTP {status} for meter {meter_id}: {detail}{hint}")

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)
