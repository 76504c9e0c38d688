"""A simulated kWh meter on the RS485 bus, answering with its model's real register map.

The meter keeps its `readings` and `serial` and renders its registers from them at
every request, so values can change between polls. Reads outside the model's register
blocks get ILLEGAL_ADDRESS, as on the real meter. Fault knobs: `exception` (answer
every request with that exception code), `nan_registers` (float32 registers that read
NaN), and `requests`, the log of what was asked.

Writes are refused: ILLEGAL_FUNCTION for a function code the model lacks, otherwise
ILLEGAL_ADDRESS (the simulated meters' settings are fixed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pymodbus.constants import ExcCodes
from pymodbus.simulator import DataType, SimData, SimDevice

from . import eastron, inepro
from .meter_models import MeterModel, MeterReadings
from .registers import NAN_WORDS, RegisterBlock

__all__ = ["MeterModel", "MeterReadings", "SimulatedKwhMeter"]

MAX_READ_COUNT = 125  # registers in one read, per the Modbus specification
LAST_ADDRESS = 0xFFFF


@dataclass
class SimulatedKwhMeter:
    """One kWh meter at a Modbus device id (its address on the bus)."""

    model: MeterModel
    device_id: int
    serial: int
    readings: MeterReadings = field(default_factory=MeterReadings)
    exception: ExcCodes | None = None
    nan_registers: set[tuple[int, int]] = field(default_factory=set)
    requests: list[tuple[int, int, int]] = field(default_factory=list)

    @property
    def blocks(self) -> tuple[RegisterBlock, ...]:
        """Where the model has registers."""
        if self.model.eastron:
            return eastron.BLOCKS
        return inepro.blocks(four_tariffs=self.model is MeterModel.INEPRO_4PS)

    def registers(self, function_code: int) -> dict[int, int]:
        """The registers read with a function code, as they are now: address -> word."""
        if self.model.eastron:
            words = eastron.registers(
                self.readings,
                three_phase=self.model.three_phase,
                device_id=self.device_id,
                serial=self.serial,
            )
        else:
            words = inepro.registers(
                self.readings,
                three_phase=self.model.three_phase,
                four_tariffs=self.model is MeterModel.INEPRO_4PS,
                device_id=self.device_id,
                serial=self.serial,
            )
        image = words.get(function_code, {})
        for nan_function_code, address in self.nan_registers:
            if nan_function_code == function_code:
                image[address], image[address + 1] = NAN_WORDS
        return image

    def read(self, function_code: int, address: int, count: int) -> list[int] | ExcCodes:
        """Answer a read request: the registers, or the exception the meter answers."""
        self.requests.append((function_code, address, count))
        if self.exception is not None:
            return self.exception
        function_codes = (
            eastron.READ_FUNCTION_CODES if self.model.eastron else inepro.READ_FUNCTION_CODES
        )
        if function_code not in function_codes:
            return ExcCodes.ILLEGAL_FUNCTION
        if not 1 <= count <= MAX_READ_COUNT:
            return ExcCodes.ILLEGAL_VALUE
        if self.model.eastron and count % 2:
            return ExcCodes.ILLEGAL_VALUE  # Eastron reads whole float32 values only
        if not any(block.covers(function_code, address, count) for block in self.blocks):
            return ExcCodes.ILLEGAL_ADDRESS
        image = self.registers(function_code)
        return [image.get(register, 0) for register in range(address, address + count)]

    def write(self, function_code: int, address: int, count: int) -> ExcCodes:
        """Answer a write request: always refused, see the module's docstring."""
        self.requests.append((function_code, address, count))
        if self.exception is not None:
            return self.exception
        function_codes = (
            eastron.WRITE_FUNCTION_CODES if self.model.eastron else inepro.WRITE_FUNCTION_CODES
        )
        if function_code not in function_codes:
            return ExcCodes.ILLEGAL_FUNCTION
        return ExcCodes.ILLEGAL_ADDRESS

    def device(self) -> SimDevice:
        """The meter as a pymodbus simulator device, answering through `read`/`write`."""
        return SimDevice(
            id=self.device_id,
            simdata=(
                # Coils and discrete inputs: the meters have none (`read` refuses
                # their function codes), but pymodbus wants a block of each.
                [SimData(0, values=False, datatype=DataType.BITS)],
                [SimData(0, values=False, datatype=DataType.BITS)],
                self._simdata(3),
                self._simdata(4),
            ),
            action=self._action,
        )

    def _simdata(self, function_code: int) -> list[SimData]:
        """The model's blocks, framed by invalid registers at 0x0000 and 0xFFFF.

        pymodbus refuses a read outside the span of a device's registers before it
        calls the action; the frame makes every read reach the action (and the log).
        """
        simdata = [
            SimData(block.start, count=block.end - block.start, datatype=DataType.REGISTERS)
            for block in self.blocks
            if block.function_code == function_code
        ]
        if not simdata or simdata[0].address > 0:
            simdata.insert(0, SimData(0, datatype=DataType.INVALID))
        if simdata[-1].address + simdata[-1].count <= LAST_ADDRESS:
            simdata.append(SimData(LAST_ADDRESS, datatype=DataType.INVALID))
        return simdata

    async def _action(  # noqa: PLR0917 -- pymodbus calls it with these
        self,
        function_code: int,
        start_address: int,
        address: int,
        count: int,
        current_registers: list[int],
        set_values: list[int] | list[bool] | None,
    ) -> ExcCodes | None:
        """Called by pymodbus before it answers from `current_registers`."""
        if set_values is not None:
            return self.write(function_code, address, count)
        answer = self.read(function_code, address, count)
        if isinstance(answer, ExcCodes):
            return answer
        offset = address - start_address
        current_registers[offset : offset + count] = answer
        return None
