"""The P1 peer: a Dutch DSMR 5 smart meter behind a raw-telegram network reader.

It listens like a ser2net or ESPHome P1 reader does and sends every connected client
one telegram a second. The telegram is the real one in `dsmr5_nl_iskra_gas.txt`
(next to this file), copied byte for byte from the test data of the dsmr_parser
library: ndokter/dsmr_parser, `test/example_telegrams.py`, `TELEGRAM_V5` (tag v1.6.0,
commit fa20ee45a3103b8262b153e7b0037047abfaa6c7). Each second its values are replaced
by those of a simulated zero-energy home and the CRC is recomputed.

The simulated values are a pure function of the time, so they are the same whoever
asks, and the meter totals never go backwards when the simulator restarts (Home
Assistant would read that as a meter reset).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
import logging
import math
from pathlib import Path
import re
from zoneinfo import ZoneInfo

_LOGGER = logging.getLogger(__name__)

TEMPLATE = Path(__file__).with_name("dsmr5_nl_iskra_gas.txt")
# DSMR meters send the local time of the Netherlands, whatever the host's zone is.
METER_ZONE = ZoneInfo("Europe/Amsterdam")

# The simulated meter starts from the fixture's totals at this moment and integrates
# the home's profile from there.
EPOCH = datetime(2026, 1, 1, tzinfo=METER_ZONE)
STEP = 300  # seconds: the grid on which the energy totals are integrated
GAS_PER_DAY = 0.08  # m3: a zero-energy home cooks on gas at most
GAS_INTERVAL = 300  # seconds: a DSMR 5 meter refreshes the gas reading every 5 minutes

# Share of the household load per phase; the PV inverter feeds all three equally.
PHASE_SHARE = (0.30, 0.25, 0.45)


def crc16_arc(data: bytes) -> int:
    """CRC16/ARC (poly 0x8005 reflected, init 0), as DSMR 4 and 5 use it."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def _bump(hour: float, centre: float, width: float) -> float:
    return math.exp(-(((hour - centre) / width) ** 2) / 2)


def consumption_kw(hour: float, weekend: bool) -> float:
    """The household's load at a local hour of the day."""
    morning = 0.5 * _bump(hour, 9.0 if weekend else 7.5, 0.8)
    midday = (0.6 if weekend else 0.25) * _bump(hour, 12.5, 1.0)
    evening = 1.1 * _bump(hour, 18.5, 1.2)
    return 0.30 + morning + midday + evening


def pv_kw(hour: float) -> float:
    """What the roof produces: the same fair day all year, 06:30 to 19:30, 2 kW at noon."""
    if not 6.5 < hour < 19.5:
        return 0.0
    return 2.0 * math.sin(math.pi * (hour - 6.5) / 13) ** 1.5


def is_low_tariff(local: datetime) -> bool:
    """Dutch double tariff: low (tariff 1) at night and in the weekend."""
    return local.weekday() >= 5 or local.hour < 7 or local.hour >= 23


def _local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, METER_ZONE)


def _hour(local: datetime) -> float:
    return local.hour + local.minute / 60 + local.second / 3600


def _net_kw(local: datetime) -> float:
    """Import (positive) or export (negative) on the 5-minute grid."""
    hour = _hour(local)
    return consumption_kw(hour, local.weekday() >= 5) - pv_kw(hour)


@dataclass(slots=True)
class Totals:
    """Energy registers in kWh: import and export, per tariff (1 = low, 2 = normal)."""

    import_t1: float = 0.0
    import_t2: float = 0.0
    export_t1: float = 0.0
    export_t2: float = 0.0

    def add(self, local: datetime, net_kw: float, seconds: float) -> None:
        kwh = net_kw * seconds / 3600
        low = is_low_tariff(local)
        if kwh >= 0:
            if low:
                self.import_t1 += kwh
            else:
                self.import_t2 += kwh
        elif low:
            self.export_t1 -= kwh
        else:
            self.export_t2 -= kwh

    def plus(self, other: Totals) -> Totals:
        return Totals(
            self.import_t1 + other.import_t1,
            self.import_t2 + other.import_t2,
            self.export_t1 + other.export_t1,
            self.export_t2 + other.export_t2,
        )


def _integrate(start: float, end: float) -> Totals:
    """The energy between two instants on the grid, each step at its start's power."""
    totals = Totals()
    ts = start
    while ts < end:
        local = _local(ts)
        totals.add(local, _net_kw(local), min(STEP, end - ts))
        ts += STEP
    return totals


def _midnight(day: date) -> float:
    return datetime.combine(day, time(), METER_ZONE).timestamp()


# Days differ only in being a weekend day or not and in their length (23, 24 or 25
# hours at the switches of summer time): their totals are integrated once per kind.
_DAY_TOTALS: dict[tuple[bool, float], Totals] = {}


def _day_totals(day: date) -> Totals:
    start = _midnight(day)
    length = _midnight(day + timedelta(days=1)) - start
    key = (day.weekday() >= 5, length)
    if key not in _DAY_TOTALS:
        _DAY_TOTALS[key] = _integrate(start, start + length)
    return _DAY_TOTALS[key]


def energy_since_epoch(ts: float) -> Totals:
    """The energy registers' increase from EPOCH to the instant ts."""
    totals = Totals()
    day = EPOCH.date()
    today = _local(ts).date()
    while day < today:
        totals = totals.plus(_day_totals(day))
        day += timedelta(days=1)
    start = max(_midnight(today), EPOCH.timestamp())
    return totals.plus(_integrate(start, ts)) if ts > start else totals


@dataclass(frozen=True, slots=True)
class Reading:
    """What the meter shows at one instant."""

    local: datetime
    totals: Totals
    import_kw: float
    export_kw: float
    phase_import_kw: tuple[float, float, float]
    phase_export_kw: tuple[float, float, float]
    voltages: tuple[float, float, float]
    currents: tuple[float, float, float]
    gas_m3: float
    gas_local: datetime


def reading_at(ts: float, base: Totals, base_gas: float) -> Reading:
    """The simulated home's meter values at a unix time."""
    local = _local(ts)
    hour = _hour(local)
    weekend = local.weekday() >= 5
    # Instantaneous values move every second around the 5-minute profile.
    load = consumption_kw(hour, weekend) * (
        1 + 0.04 * math.sin(ts * 0.7) + 0.03 * math.sin(ts * 2.3)
    )
    pv = pv_kw(hour) * (1 + 0.02 * math.sin(ts * 0.37))
    phase_net = [share * load - pv / 3 for share in PHASE_SHARE]
    net = sum(phase_net)
    voltages = tuple(
        round(230 + 1.5 * math.sin(ts / 60 + i * 2.1) + 0.2 * math.sin(ts * 1.3 + i), 1)
        for i in range(3)
    )
    currents = tuple(abs(p) * 1000 / v for p, v in zip(phase_net, voltages, strict=True))
    gas_ts = ts - ts % GAS_INTERVAL
    gas = base_gas + GAS_PER_DAY * max(0.0, gas_ts - EPOCH.timestamp()) / 86400
    return Reading(
        local=local,
        totals=base.plus(energy_since_epoch(ts)),
        import_kw=max(net, 0.0),
        export_kw=max(-net, 0.0),
        phase_import_kw=tuple(max(p, 0.0) for p in phase_net),
        phase_export_kw=tuple(max(-p, 0.0) for p in phase_net),
        voltages=voltages,
        currents=currents,
        gas_m3=gas,
        gas_local=_local(gas_ts),
    )


def dsmr_timestamp(local: datetime) -> str:
    """YYMMDDhhmmss plus S (summer time) or W (winter time)."""
    return local.strftime("%y%m%d%H%M%S") + ("S" if local.dst() else "W")


_LINE = re.compile(r"^(\d+-\d+:\d+\.\d+\.\d+)(.*)$")
_GROUP = re.compile(r"\(([^()]*)\)")
_NUMBER = re.compile(r"^(\d+)(?:\.(\d+))?")


def _format_like(sample: str, value: float) -> str:
    """A number with as many digits as the template's (zero-padded, same decimals)."""
    match = _NUMBER.match(sample)
    if match is None:
        raise ValueError(f"not a number: {sample!r}")
    whole, decimals = match.group(1), match.group(2)
    if decimals is None:
        return f"{round(value):0{len(whole)}d}"
    return f"{value:0{len(whole) + 1 + len(decimals)}.{len(decimals)}f}"


class TelegramTemplate:
    """The fixture telegram, with its values replaceable per OBIS reference."""

    def __init__(self, raw: bytes) -> None:
        text = raw.decode("ascii")
        body = text[: text.index("!") + 1]
        self._lines = body.split("\r\n")
        self.values = self._parse_values()

    def _parse_values(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for line in self._lines:
            if match := _LINE.match(line):
                values[match.group(1)] = _GROUP.findall(match.group(2))
        return values

    def number(self, obis: str, group: int = 0) -> float:
        """A numeric value of the template, such as a meter total."""
        text = self.values[obis][group]
        if (match := _NUMBER.match(text)) is None:
            raise ValueError(f"{obis}: not a number: {text!r}")
        return float(match.group(0))

    def render(self, replacements: dict[str, dict[int, float | str]]) -> bytes:
        """The telegram with some values replaced, CRC included, ready for the wire.

        replacements: OBIS reference -> {group index: a number (formatted like the
        template's, unit kept) or a string (taken as is)}.
        """
        out = []
        for line in self._lines:
            match = _LINE.match(line)
            if match and match.group(1) in replacements:
                changes = replacements[match.group(1)]
                out.append(match.group(1) + self._replace(match.group(2), changes))
            else:
                out.append(line)
        body = "\r\n".join(out).encode("ascii")
        return body + f"{crc16_arc(body):04X}\r\n".encode("ascii")

    @staticmethod
    def _replace(groups_text: str, changes: dict[int, float | str]) -> str:
        index = -1

        def substitute(match: re.Match[str]) -> str:
            nonlocal index
            index += 1
            old = match.group(1)
            if index not in changes:
                return match.group(0)
            new = changes[index]
            if isinstance(new, str):
                return f"({new})"
            unit = old[old.index("*") :] if "*" in old else ""
            return f"({_format_like(old, new)}{unit})"

        return _GROUP.sub(substitute, groups_text)


class SmartMeter:
    """Turns the time into a telegram."""

    def __init__(self, template: TelegramTemplate) -> None:
        self.template = template
        self.base = Totals(
            template.number("1-0:1.8.1"),
            template.number("1-0:1.8.2"),
            template.number("1-0:2.8.1"),
            template.number("1-0:2.8.2"),
        )
        self.base_gas = template.number("0-1:24.2.1", 1)

    def telegram(self, ts: float) -> bytes:
        r = reading_at(ts, self.base, self.base_gas)
        t = r.totals
        changes: dict[str, dict[int, float | str]] = {
            "0-0:1.0.0": {0: dsmr_timestamp(r.local)},
            "1-0:1.8.1": {0: t.import_t1},
            "1-0:1.8.2": {0: t.import_t2},
            "1-0:2.8.1": {0: t.export_t1},
            "1-0:2.8.2": {0: t.export_t2},
            "0-0:96.14.0": {0: "0001" if is_low_tariff(r.local) else "0002"},
            "1-0:1.7.0": {0: r.import_kw},
            "1-0:2.7.0": {0: r.export_kw},
            "0-1:24.2.1": {0: dsmr_timestamp(r.gas_local), 1: r.gas_m3},
        }
        for i, obis in enumerate(("32", "52", "72")):
            changes[f"1-0:{obis}.7.0"] = {0: r.voltages[i]}
        for i, obis in enumerate(("31", "51", "71")):
            changes[f"1-0:{obis}.7.0"] = {0: r.currents[i]}
        for i, obis in enumerate(("21", "41", "61")):
            changes[f"1-0:{obis}.7.0"] = {0: r.phase_import_kw[i]}
        for i, obis in enumerate(("22", "42", "62")):
            changes[f"1-0:{obis}.7.0"] = {0: r.phase_export_kw[i]}
        return self.template.render(changes)


class P1Peer:
    """A TCP server that sends every client the meter's telegram once a second."""

    def __init__(self, host: str, port: int, meter: SmartMeter | None = None) -> None:
        self.host = host
        self.port = port
        self.meter = meter or SmartMeter(TelegramTemplate(TEMPLATE.read_bytes()))
        self._clients: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self._ticker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._on_client, self.host, self.port)
        self._ticker = asyncio.create_task(self._tick())
        print(
            f"P1: DSMR 5 smart meter, a telegram every second, on tcp://{self.host}:{self.port}",
            flush=True,
        )

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        if self._server is not None:
            self._server.close()
        for writer in list(self._clients):
            writer.close()
        self._clients.clear()
        if self._server is not None:
            await self._server.wait_closed()

    async def _on_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _LOGGER.debug("P1 client connected: %s", writer.get_extra_info("peername"))
        self._clients.add(writer)
        try:
            # A P1 port is send-only: whatever the client sends is ignored; EOF ends it.
            while await reader.read(1024):
                pass
        except OSError:
            pass
        finally:
            self._clients.discard(writer)
            writer.close()

    async def _tick(self) -> None:
        while True:
            now = datetime.now().timestamp()
            # Send just after each whole second, like a meter does.
            await asyncio.sleep(1 - now % 1 + 0.01)
            telegram = self.meter.telegram(float(int(datetime.now().timestamp())))
            for writer in list(self._clients):
                if writer.is_closing():
                    self._clients.discard(writer)
                    continue
                writer.write(telegram)
                # A client that does not read gets dropped instead of buffering forever.
                if writer.transport.get_write_buffer_size() > 64 * 1024:
                    _LOGGER.info("P1 client too slow, dropped")
                    writer.close()
                    self._clients.discard(writer)
