"""The simulated home's RS485 bus: the BeNext kWh meters, their values moving with time.

The meters are the ones `endpoints.KWH_METERS` lists, on Modbus TCP (an RS485-Ethernet
converter). Once a second each meter's readings are set from `home_energy`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from . import endpoints, home_energy
from .kwh_meters import MeterModel, SimulatedKwhMeter
from .modbus import ModbusPeer

UPDATE_INTERVAL = 1.0  # seconds


def serial_number(device_id: int) -> int:
    """A fixed serial number per address, shaped like an Eastron's (8 decimal digits)."""
    return 23_041_000 + device_id


class HomeRs485Bus:
    """The simulated home's kWh meters behind a Modbus TCP converter."""

    def __init__(self, host: str, port: int) -> None:
        self.roles = {device_id: role for device_id, (role, _) in endpoints.KWH_METERS.items()}
        self.meters = [
            SimulatedKwhMeter(MeterModel(model), device_id, serial_number(device_id))
            for device_id, (_, model) in endpoints.KWH_METERS.items()
        ]
        self.peer = ModbusPeer(self.meters, "tcp", host=host, port=port, labels=self.roles)
        self._updating: asyncio.Task[None] | None = None

    def update(self, ts: float) -> None:
        """Set every meter's readings to what it measures at the instant ts."""
        for meter in self.meters:
            meter.readings = home_energy.readings(
                self.roles[meter.device_id], three_phase=meter.model.three_phase, ts=ts
            )

    async def start(self) -> None:
        self.update(time.time())
        await self.peer.start()
        self._updating = asyncio.create_task(self._keep_updating())

    async def stop(self) -> None:
        if self._updating is not None:
            self._updating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._updating
            self._updating = None
        await self.peer.stop()

    async def _keep_updating(self) -> None:
        while True:
            await asyncio.sleep(UPDATE_INTERVAL)
            self.update(time.time())
