"""The wmbusmeters configuration of the simulated home: hex telegrams on stdin, curl to post.

Written as a `--useconfig` directory: `<dir>/etc/wmbusmeters.conf` and one file per
meter in `<dir>/etc/wmbusmeters.d/`, as a wmbusmeters installation keeps them in /etc.
The `shell=` line posts each decoded telegram's JSON (`$METER_JSON`) with curl, the
way a user bridges wmbusmeters to Home Assistant (the integration's
`bus/wmbus/config_text.http_shell_command` writes the same command for users; the
simulated home imports nothing of the integration, which would load Home Assistant).
Here curl then prints one line, `POSTED <meter id> <HTTP status>` (status 000 when
nothing answered), after the answer's text or its own error message, all on
wmbusmeters' stdout, which carries nothing else: wmbusmeters logs on stderr.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
import shlex

from .wmbus_telegrams import SimulatedWmbusMeter

POSTED = "POSTED"
# Seconds curl waits for an answer: Home Assistant answers once the states are written.
POST_TIMEOUT_S = 10


def http_post_command(url: str, token: str | None, curl: str = "curl") -> str:
    """The `shell=` command line that posts `$METER_JSON` to url and reports the status."""
    headers = ["Content-Type: application/json"]
    if token:
        headers.append(f"Authorization: Bearer {token}")
    return " ".join(
        [
            shlex.quote(curl),
            "--silent --show-error",
            f"--max-time {POST_TIMEOUT_S}",
            *(f"--header {shlex.quote(header)}" for header in headers),
            '--data-binary "$METER_JSON"',
            # The answer's text comes first, if any, without a line end of its own.
            f'--write-out "\\n{POSTED} $METER_ID %{{http_code}}\\n"',
            shlex.quote(url),
            "2>&1",
        ]
    )


def conf_text(shell: str) -> str:
    """wmbusmeters.conf: read hex telegrams from stdin, run `shell` for each one."""
    return "\n".join(
        [
            "loglevel=normal",
            "device=stdin:hex",
            "format=json",
            # The simulated meters may send the very same telegram twice in a row.
            "ignoreduplicates=false",
            "logtelegrams=false",
            f"shell={shell}",
            "",
        ]
    )


def meter_text(meter: SimulatedWmbusMeter) -> str:
    """A meter file: the telegrams are sent unencrypted or already decrypted (NOKEY)."""
    return f"name={meter.role}\nid={meter.meter_id}\nkey=NOKEY\ndriver={meter.driver}\n"


def write_config(root: Path, meters: Iterable[SimulatedWmbusMeter], shell: str) -> None:
    """Write the configuration into root, for `wmbusmeters --useconfig=<root>`."""
    etc = root / "etc"
    (etc / "wmbusmeters.d").mkdir(parents=True, exist_ok=True)
    (etc / "wmbusmeters.conf").write_text(conf_text(shell), encoding="utf-8")
    for meter in meters:
        (etc / "wmbusmeters.d" / meter.meter_id).write_text(meter_text(meter), encoding="utf-8")
