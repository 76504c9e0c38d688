"""The P1 peer: a Dutch DSMR 5 smart meter behind a raw-telegram network reader.

It listens like a ser2net or ESPHome P1 reader does and sends every connected client
one telegram a second. The telegram is the real one in `dsmr5_nl_iskra_gas.txt`
(next to this file), copied byte for byte from the test data of the dsmr_parser
library: ndokter/dsmr_parser, `test/example_telegrams.py`, `TELEGRAM_V5` (tag v1.6.0,
commit fa20ee45a3103b8262b153e7b0037047abfaa6c7). Each second its values are replaced
by those of the simulated home and the CRC is recomputed.

What the meter measures comes from `grid`: the household's appliances (`household`)
plus the PV, heat pump and ventilation that the RS485 kWh meters measure
(`home_energy`), per phase in whole watts, with import and export totals per tariff
that integrate it. M-Bus channel 1 carries gas, or heat with `mbus="heat"`
(`mbus_channel`). All of it is a pure function of the time: the same whoever asks,
and the totals never go backwards when the simulator restarts (Home Assistant would
read that as a meter reset).

Without a server, for benchmarks and tests (Unix times; the meter sends once per whole
second, so a time within a second gives that second's telegram):

- `telegram_at(ts, *, mbus="gas") -> bytes`: the telegram sent at ts, CRLF line ends
  and CRC included, exactly the bytes the peer writes;
- `telegrams(start, seconds, *, mbus="gas") -> Iterator[bytes]`: the telegrams of
  `seconds` consecutive seconds from start, the same bytes as `telegram_at`;
- `reading_at(ts, *, mbus="gas") -> Reading`: the values in that telegram;
- `SmartMeter(template=None, *, mbus="gas")`, with `reading(ts)` and `telegram(ts)`:
  the same for another template.

The first call integrates the totals from EPOCH (2026-01-01) to ts, about a second;
then a telegram takes some 0.1 ms. The household load steps when an appliance
switches (a few times an hour at night, some ten in a busy hour); the PV, heat pump
and ventilation move slowly, PV by day almost every second.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
import functools
import logging
from pathlib import Path
import time

from . import grid, home_energy
from .dsmr_telegram import TelegramTemplate, dsmr_timestamp
from .mbus_channel import MbusKind, MbusReading, reading as mbus_reading

_LOGGER = logging.getLogger(__name__)

TEMPLATE = Path(__file__).with_name("dsmr5_nl_iskra_gas.txt")
# DSMR meters send the local time of the Netherlands, whatever the host's zone is.
METER_ZONE = home_energy.HOME_ZONE


@dataclass(frozen=True, slots=True)
class Reading:
    """What the meter shows in one telegram."""

    ts: int
    local: datetime
    tariff: int  # 1 low, 2 normal
    totals_wh: grid.Totals
    phase_w: tuple[int, int, int]  # net per phase: import positive, export negative
    voltages_v: tuple[float, float, float]
    mbus: MbusReading

    @property
    def net_w(self) -> int:
        """The net power over the three phases, as the meter counts it."""
        return sum(self.phase_w)

    @property
    def currents_a(self) -> tuple[float, float, float]:
        """The current per phase, from its power and voltage."""
        w, v = self.phase_w, self.voltages_v
        return (abs(w[0]) / v[0], abs(w[1]) / v[1], abs(w[2]) / v[2])


class SmartMeter:
    """Turns the time into a telegram."""

    def __init__(self, template: TelegramTemplate | None = None, *, mbus: MbusKind = "gas") -> None:
        self.template = template or TelegramTemplate(TEMPLATE.read_bytes())
        self.mbus: MbusKind = mbus

    def reading(self, ts: float) -> Reading:
        """The meter's values in the telegram it sends at a Unix time."""
        second = int(ts // 1)
        v = home_energy.voltages_v(second)
        return Reading(
            ts=second,
            local=datetime.fromtimestamp(second, METER_ZONE),
            tariff=grid.tariff(second),
            totals_wh=grid.totals_wh(second),
            phase_w=grid.phase_power_w(second),
            voltages_v=(round(v[0], 1), round(v[1], 1), round(v[2], 1)),
            mbus=mbus_reading(self.mbus, second),
        )

    def telegram(self, ts: float) -> bytes:
        """The telegram the meter sends at a Unix time."""
        r = self.reading(ts)
        t = r.totals_wh
        mbus = r.mbus
        captured = datetime.fromtimestamp(mbus.captured, METER_ZONE)
        changes: dict[str, dict[int, float | str]] = {
            "0-0:1.0.0": {0: dsmr_timestamp(r.local)},
            "1-0:1.8.1": {0: t.import_t1 / 1000},
            "1-0:1.8.2": {0: t.import_t2 / 1000},
            "1-0:2.8.1": {0: t.export_t1 / 1000},
            "1-0:2.8.2": {0: t.export_t2 / 1000},
            "0-0:96.14.0": {0: f"{r.tariff:04d}"},
            "1-0:1.7.0": {0: max(r.net_w, 0) / 1000},
            "1-0:2.7.0": {0: max(-r.net_w, 0) / 1000},
            "0-1:24.1.0": {0: f"{mbus.device_type:03d}"},
            "0-1:24.2.1": {0: dsmr_timestamp(captured), 1: f"{mbus.value:09.3f}*{mbus.unit}"},
        }
        for n, (voltage, current, power) in enumerate(
            zip(r.voltages_v, r.currents_a, r.phase_w, strict=True)
        ):
            changes[f"1-0:{32 + 20 * n}.7.0"] = {0: voltage}
            changes[f"1-0:{31 + 20 * n}.7.0"] = {0: current}
            changes[f"1-0:{21 + 20 * n}.7.0"] = {0: max(power, 0) / 1000}
            changes[f"1-0:{22 + 20 * n}.7.0"] = {0: max(-power, 0) / 1000}
        return self.template.render(changes)


@functools.cache
def _meter(mbus: MbusKind) -> SmartMeter:
    return SmartMeter(mbus=mbus)


def reading_at(ts: float, *, mbus: MbusKind = "gas") -> Reading:
    """The values in the telegram the simulated home's meter sends at a Unix time."""
    return _meter(mbus).reading(ts)


def telegram_at(ts: float, *, mbus: MbusKind = "gas") -> bytes:
    """The telegram the simulated home's meter sends at a Unix time, as on the wire."""
    return _meter(mbus).telegram(ts)


def telegrams(start: float, seconds: int, *, mbus: MbusKind = "gas") -> Iterator[bytes]:
    """The telegrams of `seconds` consecutive seconds, from the one sent at start."""
    first = int(start // 1)
    meter = _meter(mbus)
    for second in range(first, first + seconds):
        yield meter.telegram(second)


class P1Peer:
    """A TCP server that sends every client the meter's telegram once a second."""

    def __init__(self, host: str, port: int, meter: SmartMeter | None = None) -> None:
        self.host = host
        self.port = port
        self.meter = meter or SmartMeter()
        self._clients: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self._ticker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        # The first telegram integrates the totals from EPOCH (about a second); doing
        # it now keeps the first ticks on time.
        self.meter.telegram(time.time())
        self._server = await asyncio.start_server(self._on_client, self.host, self.port)
        self._ticker = asyncio.create_task(self._tick())
        print(
            f"P1: DSMR 5 smart meter ({self.meter.mbus} on M-Bus channel 1),"
            f" a telegram every second, on tcp://{self.host}:{self.port}",
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
            # Send just after each whole second, like a meter does.
            await asyncio.sleep(1 - time.time() % 1 + 0.01)
            telegram = self.meter.telegram(time.time())
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
