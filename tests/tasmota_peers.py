"""Real peers of a Tasmota-based P1 reader: a mosquitto broker and Tasmota's HTTP command API.

The broker is the Debian `mosquitto` binary (scripts/lib/toolchain.sh installs it), on a
free loopback port, anonymous. The HTTP peer answers `GET /cm?cmnd=Status 10` like a gPlug
and can be told to fail: an HTTP 500, bytes that are no JSON, a cut-off answer, or none.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from pathlib import Path
import shutil
from typing import Any, Literal

from aiohttp import web
import paho.mqtt.publish

from tests.peers import LOOPBACK, free_port

# Debian installs the broker in /usr/sbin, which a user's PATH may lack.
MOSQUITTO_PATHS = ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")


def find_mosquitto() -> str:
    """The mosquitto binary, from PATH or where Debian installs it."""
    found = shutil.which("mosquitto") or next(
        (path for path in MOSQUITTO_PATHS if Path(path).is_file()), None
    )
    assert found is not None, "mosquitto is part of the test set-up (scripts/lib/toolchain.sh)"
    return found


class MosquittoBroker:
    """A mosquitto broker on a free loopback port that lets anyone in."""

    def __init__(self, directory: Path) -> None:
        self.host = LOOPBACK
        self.port = free_port()
        self.config = directory / "mosquitto.conf"
        self.log = directory / "mosquitto.log"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.config.write_text(
            f"listener {self.port} {self.host}\nallow_anonymous true\npersistence false\n"
        )
        with self.log.open("wb") as log:
            self._process = await asyncio.create_subprocess_exec(
                find_mosquitto(), "-c", str(self.config), stdout=log, stderr=log
            )
        async with asyncio.timeout(5):
            while not await self._accepts():
                if self._process.returncode is not None:
                    raise RuntimeError(f"mosquitto exited: {self.log.read_text()}")
                await asyncio.sleep(0.02)

    async def stop(self) -> None:
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self._process.terminate()
        await self._process.wait()
        self._process = None

    async def publish(
        self, topic: str, payload: str | bytes, *, qos: int = 0, retain: bool = False
    ) -> None:
        """Publish one message as a separate client, as a reader on the network would."""
        await asyncio.to_thread(
            paho.mqtt.publish.single,
            topic,
            payload,
            qos=qos,
            retain=retain,
            hostname=self.host,
            port=self.port,
        )

    async def _accepts(self) -> bool:
        try:
            _reader, writer = await asyncio.open_connection(self.host, self.port)
        except OSError:
            return False
        writer.close()
        await writer.wait_closed()
        return True


type HttpFault = Literal["none", "server_error", "garbage", "truncated", "timeout"]

# The sensors of a gPlugM on a Landis+Gyr E450, as its `Status 10` reports them
# (saliWd/strommesser, pico2w/function_def.py).
GPLUGM_SENSORS: dict[str, Any] = {
    "Time": "2025-04-26T22:49:54",
    "z": {
        "SMid": "72913313",
        "Pi": 0.010,
        "Po": 0.000,
        "I1": 0.35,
        "I2": 0.42,
        "I3": 0.12,
        "Ei": 168.754,
        "Eo": 604.610,
        "Ei1": 130.675,
        "Ei2": 38.070,
        "Eo1": 114.819,
        "Eo2": 489.779,
    },
}


class TasmotaHttpPeer:
    """Tasmota's HTTP command API on loopback, answering `Status 10` with `status_sns`.

    `status_sns` and `fault` may change while it runs. "timeout" holds the request open
    until `stop()`; `commands` lists every command received, as decoded.
    """

    def __init__(self, status_sns: dict[str, Any] | None = None) -> None:
        self.status_sns: dict[str, Any] = copy.deepcopy(
            GPLUGM_SENSORS if status_sns is None else status_sns
        )
        self.fault: HttpFault = "none"
        self.port = free_port()
        self.commands: list[str] = []
        self._runner: web.AppRunner | None = None
        self._release = asyncio.Event()

    @property
    def url(self) -> str:
        """The device's base URL, as a user would enter it."""
        return f"http://{LOOPBACK}:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/cm", self._command)
        self._release.clear()
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, LOOPBACK, self.port).start()

    async def stop(self) -> None:
        if self._runner is None:
            return
        self._release.set()
        await self._runner.cleanup()
        self._runner = None

    async def _command(self, request: web.Request) -> web.StreamResponse:
        command = request.query.get("cmnd", "")
        self.commands.append(command)
        match self.fault:
            case "server_error":
                return web.Response(status=500, text="Internal Server Error")
            case "garbage":
                return web.Response(body=b"\x00\xff<html>\x1b[0m", content_type="text/html")
            case "truncated":
                return web.Response(
                    text='{"StatusSNS":{"Time":"2025-04-2', content_type="application/json"
                )
            case "timeout":
                await self._release.wait()
                return web.Response(status=503)
        if "".join(command.split()).lower() == "status10":
            return web.json_response({"StatusSNS": self.status_sns})
        return web.json_response({"Command": "Unknown"})
