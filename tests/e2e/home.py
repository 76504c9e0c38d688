"""Home Assistant and the simulated BeNext home as real processes, for the browser test.

`HomeAssistant` runs `python -m homeassistant --config <folder>` with the repository on
PYTHONPATH, as scripts/develop does, but in a fresh folder and on a free loopback port
instead of 8123, so it never meets a developer's `scripts/develop`. `SimulatedHome` runs
`python -m simulated_home` with the peers asked for on free ports. Each is a child in a
session of its own, with its output in a log file, and `stop()` ends it (SIGTERM, then
SIGKILL to its session): the test stops every process it started, also when it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import seed_demo_entry

from simulated_home import endpoints

REPO = Path(__file__).resolve().parents[2]
CONFIG_YAML = REPO / "config" / "configuration.yaml"
HOST = endpoints.HOST
# Seconds a process gets to come up, and to stop after SIGTERM before it is killed.
HASS_START_TIMEOUT_S = 240.0
PEER_START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 30.0
POLL_S = 0.2


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def listening(port: int) -> bool:
    """Whether something accepts connections on the loopback port."""
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


class Process:
    """A child process in a session of its own, its output (both streams) in a log file."""

    def __init__(self, name: str, args: Sequence[str], log: Path, env: dict[str, str]) -> None:
        self.name = name
        self.args = list(args)
        self.log = log
        self.env = env
        self._popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self._popen = subprocess.Popen(  # noqa: S603 -- our interpreter, our arguments
                self.args,
                cwd=REPO,
                env={**os.environ, **self.env},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def check_running(self) -> None:
        """Raise when the process has exited, with the end of its log."""
        if self._popen is None or self._popen.poll() is not None:
            code = None if self._popen is None else self._popen.returncode
            raise RuntimeError(f"{self.name} exited ({code}):\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        """The last lines of its output."""
        if not self.log.exists():
            return ""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def wait_until(self, what: str, ready: Callable[[], bool], timeout: float) -> None:
        """Poll `ready()` until it is true; fail at once when the process exits."""
        deadline = time.monotonic() + timeout
        while not ready():
            self.check_running()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what}: not ready after {timeout:.0f} s\n{self.tail()}")
            time.sleep(POLL_S)

    def stop(self) -> None:
        """SIGTERM; SIGKILL to its whole session if it has not ended in time."""
        popen = self._popen
        if popen is None:
            return
        if popen.poll() is None:
            popen.send_signal(signal.SIGTERM)
            try:
                popen.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(popen.pid, signal.SIGKILL)
                popen.wait()
        self._popen = None


class SimulatedHome(Process):
    """`python -m simulated_home` with some of its peers, on free loopback ports."""

    def __init__(
        self,
        log: Path,
        peers: Sequence[str],
        *,
        wmbus_url: str = "",
        wmbus_token: str = "",
        wmbus_clock_offset: float = 0.0,
    ) -> None:
        self.p1_port = free_port()
        self.modbus_port = free_port()
        self.peers = list(peers)
        args = [
            *(sys.executable, "-m", "simulated_home", "--host", HOST),
            *("--p1-port", str(self.p1_port), "--modbus-port", str(self.modbus_port)),
            *("--peers", ",".join(peers)),
            *("--wmbus-url", wmbus_url, "--wmbus-token", wmbus_token),
            *("--wmbus-clock-offset", str(wmbus_clock_offset)),
        ]
        super().__init__("the simulated home", args, log, {"PYTHONPATH": str(REPO / "scripts")})

    def start(self) -> None:
        """Start the peers; return once the network ones listen."""
        super().start()
        ports = [
            port
            for name, port in (("p1", self.p1_port), ("modbus", self.modbus_port))
            if name in self.peers
        ]
        self.wait_until(
            "the simulated home",
            lambda: all(listening(port) for port in ports),
            PEER_START_TIMEOUT_S,
        )


class HomeAssistant(Process):
    """Home Assistant with config/configuration.yaml in a fresh folder, on a free port."""

    def __init__(self, config_dir: Path, log: Path) -> None:
        self.config_dir = config_dir
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        args = [sys.executable, "-m", "homeassistant", "--config", str(config_dir)]
        # Everything Home Assistant would install at start is in the environment already
        # (requirements_test.txt): nothing is fetched while the test runs.
        args.append("--skip-pip")
        super().__init__("Home Assistant", args, log, {"PYTHONPATH": str(REPO)})

    def start(self) -> None:
        """Start it; return once its onboarding answers."""
        self.config_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(CONFIG_YAML, self.config_dir / "configuration.yaml")
        seed_demo_entry.seed_http_config(self.config_dir, self.port)
        super().start()
        self.wait_until("Home Assistant", self._onboarding_answers, HASS_START_TIMEOUT_S)

    def _onboarding_answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/onboarding", timeout=5) as response:  # noqa: S310
                return isinstance(json.loads(response.read()), list)
        except OSError, urllib.error.URLError, ValueError:
            return False

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        """POST to Home Assistant; the status and the answer's text."""
        request = urllib.request.Request(  # noqa: S310 -- http on loopback
            f"{self.url}{path}", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(errors="replace")
