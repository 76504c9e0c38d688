"""Read one kWh meter on the bus: its planned blocks, and its serial number."""

from __future__ import annotations

from collections.abc import Iterable

from .client import MeterReadError, ModbusBusClient, ReadFault
from .decode import decode_block, decode_serial
from .planner import ReadBlock, plan_reads
from .quantities import Quantity
from .register_maps import RegisterMap, Table


class ModbusMeterReader:
    """Reads the values a meter's enabled entities need, in as few requests as planned."""

    def __init__(
        self,
        client: ModbusBusClient,
        device_id: int,
        register_map: RegisterMap,
        quantities: Iterable[Quantity],
    ) -> None:
        """Plan the reads of one meter."""
        self.client = client
        self.device_id = device_id
        self.register_map = register_map
        self.blocks: tuple[ReadBlock, ...] = plan_reads(register_map, quantities)

    async def async_read_values(self) -> dict[Quantity, float | None]:
        """Every planned value; raises MeterReadError at the first failed request."""
        values: dict[Quantity, float | None] = {}
        for block in self.blocks:
            registers = await self.client.async_read(
                self.device_id, block.table, block.address, block.count
            )
            values.update(decode_block(self.register_map, block, registers))
        return values

    async def async_read_serial(self) -> str | None:
        """The meter's serial number; None where the meter keeps none there.

        Older Eastron firmware answers the serial number's register with an exception.
        """
        serial = self.register_map.serial
        try:
            registers = await self.client.async_read(
                self.device_id, Table.HOLDING, serial.address, serial.encoding.size
            )
        except MeterReadError as err:
            if err.fault is not ReadFault.EXCEPTION:
                raise
            return None
        return decode_serial(self.register_map, registers)
