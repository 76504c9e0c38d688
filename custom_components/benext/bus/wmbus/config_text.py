"""wmbusmeters configuration files: written for the managed mode, shown to users to paste.

How wmbusmeters 2.0.0 reads them (checked against the binary): `--useconfig=<dir>` loads
`<dir>/etc/wmbusmeters.conf` and one meter per file in `<dir>/etc/wmbusmeters.d`, one
`key=value` a line, `#` lines are comments. Each decoded telegram goes to the `shell=`
commands when there are any (their stdout is wmbusmeters' stdout), to `meterfiles=` when
set, and otherwise to stdout, or into the `logfile=` when one is set. So the managed mode
writes neither: the JSON objects come on stdout and the log lines on stderr.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import os
from pathlib import Path
import re
import tempfile

CONF_FILE = Path("etc/wmbusmeters.conf")
METERS_DIR = Path("etc/wmbusmeters.d")
# The file holding the bearer token as a curl header line, readable by wmbusmeters' user
# only: the token is never on curl's command line, which every user can list.
TOKEN_FILE = "/etc/wmbusmeters.benext-token"  # noqa: S105 -- a path, not a token
NO_KEY = "NOKEY"

_METER_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_DRIVER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:,-]*")
_METER_ID = re.compile(r"[0-9]{8}")
_KEY = re.compile(r"[0-9A-Fa-f]{32}")
# A value is written on one line of a file that wmbusmeters reads line by line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class MeterLine:
    """One meter as wmbusmeters knows it: its meter file. Raises ValueError when invalid."""

    name: str  # wmbusmeters meter name, also the meter file's name (e.g. "benext_<id>")
    driver: str  # a wmbusmeters driver, or "auto"
    meter_id: str  # 8 digits
    key: str | None  # 32 hex digits, or None (written as NOKEY)

    def __post_init__(self) -> None:
        """Refuse what wmbusmeters would not load, or what would not stay one line."""
        if not _METER_NAME.fullmatch(self.name):
            raise ValueError(f"invalid wmbusmeters meter name {self.name!r}")
        if not _DRIVER.fullmatch(self.driver):
            raise ValueError(f"invalid wmbusmeters driver {self.driver!r}")
        if not _METER_ID.fullmatch(self.meter_id):
            raise ValueError(f"a wM-Bus meter id is 8 digits, not {self.meter_id!r}")
        if self.key is not None and not _KEY.fullmatch(self.key):
            raise ValueError("a wM-Bus key is 32 hex digits")


def _one_line(what: str, value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError(f"the {what} must be one line without control characters")
    return value


def _sh_quoted(text: str) -> str:
    """`text` as one single-quoted /bin/sh word, whatever it contains."""
    return "'" + text.replace("'", "'\"'\"'") + "'"


def http_shell_command(url: str, token_file: str | None) -> str:
    """The value of a `shell=` line that POSTs each telegram's JSON to `url` with curl.

    wmbusmeters runs it with /bin/sh -c and the telegram's JSON in the METER_JSON
    environment variable. The bearer token, when there is one, is read from `token_file`
    (see token_file_text) with curl's `-H @file`, so it is never on a command line. The URL
    and the file's path are single-quoted, so the shell expands nothing in them.
    """
    parts = [
        "curl -sS -m 10 -X POST",
        "-H " + _sh_quoted("Content-Type: application/json"),
    ]
    if token_file is not None:
        parts.append("-H " + _sh_quoted("@" + _one_line("token file", token_file)))
    parts += ['--data-binary "$METER_JSON"', _sh_quoted(_one_line("URL", url))]
    return " ".join(parts)


def token_file_text(token: str) -> str:
    """The content of the token file: the Authorization header line curl sends."""
    return f"Authorization: Bearer {_one_line('token', token)}\n"


def conf_file(device: str, shell: str | None, *, log_to_stdout: bool = False) -> str:
    """The content of /etc/wmbusmeters.conf.

    Without `shell` wmbusmeters prints each telegram's JSON on stdout (the managed mode);
    with it, it runs the command instead. `log_to_stdout` adds `logfile=/dev/stdout`, which
    moves wmbusmeters' log lines from stderr to stdout, between the JSON objects.
    """
    lines = [
        "loglevel=normal",
        f"device={_one_line('device', device)}",
        "format=json",
        "logtelegrams=false",
        "ignoreduplicates=true",
    ]
    if log_to_stdout:
        lines.append("logfile=/dev/stdout")
    if shell is not None:
        lines.append(f"shell={_one_line('shell command', shell)}")
    return "\n".join(lines) + "\n"


def meter_file(meter: MeterLine) -> str:
    """The content of /etc/wmbusmeters.d/<name>: the meter's name, id, key and driver."""
    return (
        f"name={meter.name}\n"
        f"id={meter.meter_id}\n"
        f"key={NO_KEY if meter.key is None else meter.key}\n"
        f"driver={meter.driver}\n"
    )


def _unique_names(meters: Sequence[MeterLine]) -> None:
    names = [meter.name for meter in meters]
    if len(set(names)) != len(names):
        raise ValueError("two wM-Bus meters share a wmbusmeters meter name")


def setup_text(
    url: str,
    token: str | None,
    device: str,
    meters: Sequence[MeterLine],
    *,
    token_file: str = TOKEN_FILE,
) -> str:
    """The configuration a user pastes into their wmbusmeters for the HTTP push mode.

    The conf file, with the `shell=` line that POSTs to `url`, the token file when there is
    a token, then one meter file per meter, each headed by a `# <path>` line (a comment to
    wmbusmeters; a line without a colon, which curl does not send, in the token file).
    """
    _unique_names(meters)
    shell = http_shell_command(url, None if token is None else token_file)
    sections = [f"# /{CONF_FILE}\n" + conf_file(device, shell)]
    if token is not None:
        sections.append(f"# {_one_line('token file', token_file)}\n" + token_file_text(token))
    sections += [f"# /{METERS_DIR / meter.name}\n" + meter_file(meter) for meter in meters]
    return "\n".join(sections)


def _write_private(path: Path, content: str, scratch: Path) -> None:
    """Write `path` readable by its owner only; created in `scratch`, then renamed in place."""
    descriptor, temporary = tempfile.mkstemp(dir=scratch, prefix=".benext-")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(content)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def make_private_dir(path: Path) -> None:
    """Create `path` readable by its owner only, or make it so (a folder made before).

    BLOCKING: callers run it in an executor. Raises OSError when that fails.
    """
    _private_dir(path)


def write_config(directory: Path, device: str, meters: Sequence[MeterLine]) -> Path:
    """Write the managed mode's configuration under `directory`; returns the --useconfig dir.

    BLOCKING: callers run it in an executor. Writes `etc/wmbusmeters.conf` and one file
    per meter in `etc/wmbusmeters.d` (removing meter files of meters no longer listed),
    files mode 0600 in directories mode 0700: the keys live only in these files, never
    on a command line. Raises ValueError for an invalid setting, OSError when writing fails.
    """
    _unique_names(meters)
    conf = conf_file(device, None)
    etc = directory / CONF_FILE.parent
    meters_dir = directory / METERS_DIR
    for path in (directory, etc, meters_dir):
        _private_dir(path)
    # Temporary files go to etc/, not etc/wmbusmeters.d/, where wmbusmeters would take
    # any file for a meter.
    _write_private(directory / CONF_FILE, conf, etc)
    wanted = {meter.name for meter in meters}
    for old in meters_dir.iterdir():
        if old.name not in wanted:
            old.unlink()
    for meter in meters:
        _write_private(meters_dir / meter.name, meter_file(meter), etc)
    return directory
