"""The simulated kWh meters against a real pymodbus client, and the simulated home's values."""

from __future__ import annotations

from collections.abc import AsyncGenerator
import contextlib
from datetime import datetime
import itertools
import math

from pymodbus.client import AsyncModbusSerialClient, AsyncModbusTcpClient
from pymodbus.client.base import ModbusBaseClient
from pymodbus.constants import ExcCodes
from pymodbus.exceptions import ModbusIOException
from pymodbus.framer import FramerType
from pymodbus.pdu import ModbusPDU
import pytest

from simulated_home import home_energy
from simulated_home.kwh_meters import MeterModel, MeterReadings, SimulatedKwhMeter
from simulated_home.modbus import ModbusPeer
from simulated_home.registers import NAN_WORDS, decode_float32, encode_float32
from tests.peers import (
    LOOPBACK,
    FaultyRtuOverTcpPeer,
    ModbusRtuPeer,
    ModbusTcpPeer,
    RtuFault,
    SerialPtyPair,
    benext_meters,
    crc16_modbus,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")

# A silent meter is noticed by the client's timeout: keep it short.
TIMEOUT = 0.3


def test_float32_test_vectors() -> None:
    """The research notes' ABCD vectors."""
    assert encode_float32(230.5) == [0x4366, 0x8000]
    assert encode_float32(50.0) == [0x4248, 0x0000]
    assert encode_float32(16.0) == [0x4180, 0x0000]
    assert encode_float32(math.nan) == list(NAN_WORDS) == [0x7FC0, 0x0000]
    assert decode_float32([0x4366, 0x8000]) == 230.5


def test_crc16_modbus() -> None:
    """The notes' Inepro frame `01 03 0c 41800000 41800000 41800000 97 ae`."""
    frame = bytes.fromhex("01030c" + "41800000" * 3)
    assert crc16_modbus(frame) == bytes.fromhex("97ae")


@contextlib.asynccontextmanager
async def connected(client: ModbusBaseClient) -> AsyncGenerator[ModbusBaseClient]:
    assert await client.connect()
    try:
        yield client
    finally:
        client.close()


def tcp_client(port: int, framer: FramerType = FramerType.SOCKET) -> AsyncModbusTcpClient:
    return AsyncModbusTcpClient(LOOPBACK, port=port, framer=framer, timeout=TIMEOUT, retries=0)


async def read(
    client: ModbusBaseClient, device_id: int, function_code: int, address: int, count: int = 2
) -> ModbusPDU:
    if function_code == 4:
        return await client.read_input_registers(address, count=count, device_id=device_id)
    return await client.read_holding_registers(address, count=count, device_id=device_id)


async def read_float(
    client: ModbusBaseClient, device_id: int, function_code: int, address: int
) -> float:
    response = await read(client, device_id, function_code, address)
    assert not response.isError(), response
    value = client.convert_from_registers(response.registers, client.DATATYPE.FLOAT32)
    assert isinstance(value, float)
    return value


def exception_code(response: ModbusPDU) -> int:
    assert response.isError(), response
    return int(response.exception_code)


async def test_eastron_meters(modbus_server: ModbusTcpPeer) -> None:
    """The BeNext meters answer with their values where Eastron keeps them."""
    async with connected(tcp_client(modbus_server.port)) as client:
        assert await read_float(client, 2, 4, 0x0048) == pytest.approx(41.7)
        assert await read_float(client, 2, 4, 0x004A) == pytest.approx(6432.1)
        assert await read_float(client, 2, 4, 0x0034) == pytest.approx(-2850.0)
        assert await read_float(client, 2, 4, 0x0004) == pytest.approx(232.0)
        assert await read_float(client, 2, 4, 0x0046) == pytest.approx(50.0)
        assert await read_float(client, 2, 4, 0x0156) == pytest.approx(6473.8)
        assert await read_float(client, 3, 4, 0x000C) == pytest.approx(1640.0)
        assert await read_float(client, 3, 4, 0x0048) == pytest.approx(3512.8)
        # A 1-phase meter: what it does not have reads 0.0.
        assert await read_float(client, 3, 4, 0x0002) == 0.0
        assert await read_float(client, 3, 4, 0x0034) == 0.0
        serial = await read(client, 4, 3, 0xFC00)
        assert client.convert_from_registers(serial.registers, client.DATATYPE.UINT32) == 22110789


async def test_values_change_between_polls(modbus_server: ModbusTcpPeer) -> None:
    """Each read shows the meter's readings and serial as they are then."""
    meter = modbus_server.meters[4]
    async with connected(tcp_client(modbus_server.port)) as client:
        assert await read_float(client, 4, 4, 0x0048) == pytest.approx(812.4)
        meter.readings.import_kwh = 812.5
        meter.serial = 1234
        assert await read_float(client, 4, 4, 0x0048) == pytest.approx(812.5)
        assert (await read(client, 4, 3, 0xFC00)).registers == [0, 1234]


async def test_eastron_refusals(modbus_server: ModbusTcpPeer) -> None:
    """Odd counts, registers the meter lacks, function codes it lacks, and writes."""
    async with connected(tcp_client(modbus_server.port)) as client:
        assert exception_code(await read(client, 2, 4, 0x0000, count=1)) == ExcCodes.ILLEGAL_VALUE
        assert exception_code(await read(client, 2, 4, 0x0180)) == ExcCodes.ILLEGAL_ADDRESS
        assert exception_code(await read(client, 2, 4, 0x017E, count=4)) == ExcCodes.ILLEGAL_ADDRESS
        assert exception_code(await read(client, 2, 3, 0x0020)) == ExcCodes.ILLEGAL_ADDRESS
        assert exception_code(await read(client, 2, 3, 0x4000)) == ExcCodes.ILLEGAL_ADDRESS
        coils = await client.read_coils(0, count=8, device_id=2)
        assert exception_code(coils) == ExcCodes.ILLEGAL_FUNCTION
        written = await client.write_register(0x0014, 5, device_id=2)
        assert exception_code(written) == ExcCodes.ILLEGAL_FUNCTION
        written = await client.write_registers(0x0014, [0x40A0, 0], device_id=2)
        assert exception_code(written) == ExcCodes.ILLEGAL_ADDRESS


async def test_fault_knobs(modbus_server: ModbusTcpPeer) -> None:
    """An exception for every request, NaN registers, and the log of requests."""
    meter = modbus_server.meters[2]
    async with connected(tcp_client(modbus_server.port)) as client:
        meter.nan_registers.add((4, 0x0048))
        assert math.isnan(await read_float(client, 2, 4, 0x0048))
        assert await read_float(client, 2, 3, 0x0014) == 2.0  # its own address setting
        meter.exception = ExcCodes.DEVICE_BUSY
        assert exception_code(await read(client, 2, 4, 0x0000)) == ExcCodes.DEVICE_BUSY
        assert exception_code(await read(client, 2, 3, 0x9999)) == ExcCodes.DEVICE_BUSY
    assert meter.requests == [(4, 0x0048, 2), (3, 0x0014, 2), (4, 0x0000, 2), (3, 0x9999, 2)]
    assert modbus_server.meters[3].requests == []


async def test_silence_revive_replace(modbus_server: ModbusTcpPeer) -> None:
    """A meter that stops answering, answers again, and is swapped for another."""
    async with connected(tcp_client(modbus_server.port)) as client:
        with pytest.raises(ModbusIOException):
            await read(client, 9, 4, 0x0000)  # nothing at 9: silence, as on RS485
        modbus_server.silence(3)
        with pytest.raises(ModbusIOException):
            await read(client, 3, 4, 0x0000)
        assert await read_float(client, 4, 4, 0x0048) == pytest.approx(812.4)
        modbus_server.revive(3)
        assert await read_float(client, 3, 4, 0x0048) == pytest.approx(3512.8)

        other = SimulatedKwhMeter(
            MeterModel.INEPRO_PRO1,
            3,
            serial=0x19120042,
            readings=MeterReadings(power_w=1500.0),
        )
        modbus_server.replace(3, other)
        assert (await read(client, 3, 3, 0x4000)).registers == [0x1912, 0x0042]
        assert await read_float(client, 3, 3, 0x5012) == pytest.approx(1.5)
        assert exception_code(await read(client, 3, 4, 0x0000)) == ExcCodes.ILLEGAL_FUNCTION


async def test_restart(modbus_server: ModbusTcpPeer) -> None:
    """After the converter restarts, a new connection to the same port reads again."""
    await modbus_server.restart()
    async with connected(tcp_client(modbus_server.port)) as client:
        assert await read_float(client, 2, 4, 0x0048) == pytest.approx(41.7)


@pytest.fixture
async def inepro_server() -> AsyncGenerator[ModbusTcpPeer]:
    """The three Inepro models, at 5, 6 and 7."""
    readings = MeterReadings.from_power(
        2300.0, three_phase=True, import_kwh=1200.0, export_kwh=3.5, voltage_v=(230.5, 231, 229)
    )
    readings.import_kwh_tariff = (700.0, 400.0, 60.0, 40.0)
    readings.export_kwh_tariff = (2.0, 1.5, 0.0, 0.0)
    readings.active_tariff = 3
    server = ModbusTcpPeer(
        [
            SimulatedKwhMeter(MeterModel.INEPRO_PRO380, 5, 0x15060001, readings),
            SimulatedKwhMeter(
                MeterModel.INEPRO_PRO1,
                6,
                0x15060002,
                MeterReadings.from_power(
                    -460.0, three_phase=False, import_kwh=2.0, export_kwh=900.0
                ),
            ),
            SimulatedKwhMeter(MeterModel.INEPRO_4PS, 7, 0x15060003, readings),
        ]
    )
    await server.start()
    yield server
    await server.stop()


async def test_inepro_meters(inepro_server: ModbusTcpPeer) -> None:
    """Holding registers, power in kW, hexadecimal serials, NaN where a model lacks a value."""
    async with connected(tcp_client(inepro_server.port)) as client:
        serial = await read(client, 5, 3, 0x4000)
        assert f"{client.convert_from_registers(serial.registers, client.DATATYPE.UINT32):08X}" == (
            "15060001"
        )
        assert await read_float(client, 5, 3, 0x5012) == pytest.approx(2.3)
        assert await read_float(client, 5, 3, 0x5014) == pytest.approx(2.3 / 3)
        assert await read_float(client, 5, 3, 0x5002) == pytest.approx(230.5)
        assert math.isnan(await read_float(client, 5, 3, 0x5000))
        assert math.isnan(await read_float(client, 5, 3, 0x500A))
        assert await read_float(client, 5, 3, 0x600C) == pytest.approx(1200.0)
        assert await read_float(client, 5, 3, 0x6010) == pytest.approx(400.0)
        assert await read_float(client, 5, 3, 0x6018) == pytest.approx(3.5)
        assert exception_code(await read(client, 5, 3, 0x6048, count=1)) == ExcCodes.ILLEGAL_ADDRESS
        assert exception_code(await read(client, 5, 4, 0x5002)) == ExcCodes.ILLEGAL_FUNCTION

        assert await read_float(client, 6, 3, 0x5000) == pytest.approx(230.0)
        assert await read_float(client, 6, 3, 0x500A) == pytest.approx(2.0)
        assert await read_float(client, 6, 3, 0x5012) == pytest.approx(-0.46)
        assert math.isnan(await read_float(client, 6, 3, 0x5002))
        assert math.isnan(await read_float(client, 6, 3, 0x500C))

        tariff = await read(client, 7, 3, 0x6048, count=1)
        assert tariff.registers == [3]
        assert await read_float(client, 7, 3, 0x604F) == pytest.approx(60.0)
        assert await read_float(client, 7, 3, 0x6051) == pytest.approx(40.0)
        assert await read_float(client, 7, 3, 0x6053) == pytest.approx(0.0)
        assert exception_code(await read(client, 7, 3, 0x6091)) == ExcCodes.ILLEGAL_ADDRESS


async def test_rtu_over_tcp() -> None:
    """A transparent converter: RTU frames, CRC and all, over TCP."""
    server = ModbusTcpPeer(transport="rtu_over_tcp")
    await server.start()
    try:
        async with connected(tcp_client(server.port, FramerType.RTU)) as client:
            assert await read_float(client, 2, 4, 0x0048) == pytest.approx(41.7)
            server.silence(2)
            with pytest.raises(ModbusIOException):
                await read(client, 2, 4, 0x0048)
    finally:
        await server.stop()


async def test_rtu_on_a_serial_line(serial_pty: SerialPtyPair) -> None:
    """Modbus RTU on a pty: the USB-RS485 adapter's end reads the meters."""
    server = ModbusRtuPeer(serial_pty)
    await server.start()
    client = AsyncModbusSerialClient(
        serial_pty.device, framer=FramerType.RTU, baudrate=9600, timeout=TIMEOUT, retries=0
    )
    try:
        async with connected(client):
            assert await read_float(client, 3, 4, 0x0048) == pytest.approx(3512.8)
            assert (
                exception_code(await read(client, 3, 4, 0x0000, count=1)) == ExcCodes.ILLEGAL_VALUE
            )
    finally:
        await server.stop()


@pytest.mark.parametrize(
    ("fault", "answers"), [("none", True), ("bad_crc", False), ("wrong_address", False)]
)
async def test_faulty_converter(fault: RtuFault, answers: bool) -> None:
    """A damaged answer is not taken for a reading."""
    server = FaultyRtuOverTcpPeer(benext_meters()[0], fault)
    await server.start()
    try:
        async with connected(tcp_client(server.port, FramerType.RTU)) as client:
            if answers:
                assert await read_float(client, 2, 4, 0x0048) == pytest.approx(41.7)
            else:
                with pytest.raises(ModbusIOException):
                    await read(client, 2, 4, 0x0048)
    finally:
        await server.stop()


def test_faulty_converter_frames() -> None:
    """The damaged frames themselves: another address with a valid CRC, or a flipped CRC."""
    meter = benext_meters()[0]
    request = bytes.fromhex("0204 0048 0002".replace(" ", ""))
    request += crc16_modbus(request)
    good = FaultyRtuOverTcpPeer(meter).answer(request)
    wrong = FaultyRtuOverTcpPeer(meter, "wrong_address").answer(request)
    bad = FaultyRtuOverTcpPeer(meter, "bad_crc").answer(request)
    assert good is not None
    assert wrong is not None
    assert bad is not None
    assert good[:3] == bytes([2, 4, 4])
    assert wrong[0] == 3
    assert wrong[1:-2] == good[1:-2]
    assert crc16_modbus(wrong[:-2]) == wrong[-2:]
    assert bad[:-2] == good[:-2]
    assert bad[-2:] != good[-2:]
    assert FaultyRtuOverTcpPeer(meter).answer(request[:-1] + b"\x00") is None


def _at(day: str, hour: int, minute: int = 0) -> float:
    local = datetime.fromisoformat(day).replace(hour=hour, minute=minute)
    return local.replace(tzinfo=home_energy.HOME_ZONE).timestamp()


def test_pv_follows_the_day() -> None:
    """Nothing at night but the inverter's standby draw; production at noon."""
    for day in ("2026-01-10", "2026-06-21"):
        night = _at(day, 2)
        assert home_energy.pv_production_w(night) == 0.0
        assert home_energy.pv_power_w(night) == home_energy.PV_STANDBY_W
        noon = _at(day, 13, 30)
        assert home_energy.pv_production_w(noon) > 200
        assert home_energy.pv_power_w(noon) < 0
        assert home_energy.pv_production_w(noon) <= home_energy.PV_PEAK_W


def test_other_loads() -> None:
    """Heat pump cycles and ventilation stay in their ranges."""
    day = [_at("2026-02-03", 0) + minute * 60 for minute in range(24 * 60)]
    heat_pump = [home_energy.heat_pump_power_w(ts) for ts in day]
    assert min(heat_pump) == home_energy.HEAT_PUMP_STANDBY_W
    assert 1100 < max(heat_pump) < 2100
    assert all(30 < home_energy.ventilation_power_w(ts) < 65 for ts in day)


def test_energies_never_go_backwards() -> None:
    """Totals start at the configured values and only grow, PV export by day."""
    start = home_energy.EPOCH.timestamp()
    assert home_energy.energy_kwh("pv", start) == home_energy.START_KWH["pv"]
    instants = [start + step * 1234.5 for step in range(200)]  # almost three days
    for role in home_energy.POWER_W:
        totals = [home_energy.energy_kwh(role, ts) for ts in instants]
        for before, after in itertools.pairwise(totals):
            assert after[0] >= before[0]
            assert after[1] >= before[1]
    pv_import, pv_export = home_energy.energy_kwh("pv", instants[-1])
    assert pv_export > home_energy.START_KWH["pv"][1] + 1
    assert pv_import > home_energy.START_KWH["pv"][0]


def test_readings_are_consistent() -> None:
    """Currents follow power, voltage and power factor; grid values stay near nominal."""
    ts = _at("2026-06-21", 13, 30)
    pv = home_energy.readings("pv", three_phase=True, ts=ts)
    assert pv.power_w < 0
    assert pv.power_factor < 0
    assert sum(pv.phase_power_w) == pytest.approx(pv.power_w)
    for current, voltage, power in zip(pv.current_a, pv.voltage_v, pv.phase_power_w, strict=True):
        assert 220 < voltage < 240
        assert current == pytest.approx(abs(power) / voltage / 0.99)
    assert abs(pv.frequency_hz - 50) <= 0.05
    ventilation = home_energy.readings("ventilation", three_phase=False, ts=ts)
    assert ventilation.phase_power_w[1:] == (0.0, 0.0)
    assert ventilation.current_a[0] == pytest.approx(
        ventilation.power_w / ventilation.voltage_v[0] / 0.62
    )


async def test_any_free_port() -> None:
    """Port 0: the peer listens where the system puts it and reports the port."""
    server = ModbusPeer(benext_meters(), port=0, quiet=True)
    await server.start()
    try:
        assert server.port != 0
        await server.restart()
        async with connected(tcp_client(server.port)) as client:
            assert await read_float(client, 2, 4, 0x0048) == pytest.approx(41.7)
    finally:
        await server.stop()
