"""kWh meters on the RS485 bus, read from a real pymodbus server holding their registers."""

from __future__ import annotations

from dataclasses import replace
import logging
from pathlib import Path
from typing import Any

from homeassistant.components.sensor import ATTR_STATE_CLASS, SensorStateClass
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pymodbus.constants import ExcCodes
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.benext.const import DOMAIN
from simulated_home.kwh_meters import MeterModel, MeterReadings, SimulatedKwhMeter
from tests import setup_integration
from tests.modbus_helpers import modbus_meter_subentry
from tests.peers import (
    DroppingRtuOverTcpPeer,
    FaultyRtuOverTcpPeer,
    ModbusRtuPeer,
    ModbusTcpPeer,
    SerialPtyPair,
    benext_meters,
    network,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _installation(modbus: dict[str, Any], *meters: dict[str, Any]) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data={"modbus": modbus},
        options={"modbus_poll_interval": 30, "modbus_failed_polls": 3},
        subentries_data=list(meters),
        entry_id="01JBENEXTKWHMETERS00000000",
    )


def _benext(port: int) -> MockConfigEntry:
    return _installation(
        {"transport": "tcp", "network": network(port)},
        modbus_meter_subentry("pv", 2, "eastron_sdm630"),
        modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
        modbus_meter_subentry("ventilation", 4, "eastron_sdm220"),
    )


async def _poll(hass: HomeAssistant, entry: MockConfigEntry, times: int = 1) -> None:
    """Poll the bus as its interval would; real time passes for the requests' timeouts."""
    for _ in range(times):
        await entry.runtime_data.buses["modbus"].async_refresh()
        await hass.async_block_till_done()


def _state(hass: HomeAssistant, entity_id: str) -> State:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state


async def test_roles_name_and_sign_what_the_meters_measure(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """PV production is its export register and its power turned around; the rest consume."""
    assert await setup_integration(hass, _benext(modbus_server.port))

    production = _state(hass, "sensor.pv_modbus_2_energy_production")
    assert production.state == "6432.1"
    assert production.attributes[ATTR_UNIT_OF_MEASUREMENT] == "kWh"
    assert production.attributes[ATTR_DEVICE_CLASS] == "energy"
    assert production.attributes[ATTR_STATE_CLASS] is SensorStateClass.TOTAL_INCREASING
    assert _state(hass, "sensor.pv_modbus_2_own_use").state == "41.7"
    power = _state(hass, "sensor.pv_modbus_2_power_production")
    assert power.state == "2850.0"
    assert power.attributes[ATTR_UNIT_OF_MEASUREMENT] == "W"

    assert _state(hass, "sensor.heat_pump_modbus_3_energy_consumption").state == "3512.8"
    assert _state(hass, "sensor.heat_pump_modbus_3_power").state == "1640.0"
    assert _state(hass, "sensor.heat_pump_modbus_3_energy_returned").state == "0.0"
    assert _state(hass, "sensor.ventilation_modbus_4_power").state == "42.5"
    assert _state(hass, "sensor.ventilation_modbus_4_product_status").state == "ok"


async def test_detail_sensors_are_disabled_by_default(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, modbus_server: ModbusTcpPeer
) -> None:
    """Voltage, current, per-phase power, frequency and power factor wait to be enabled."""
    entry = _benext(modbus_server.port)
    assert await setup_integration(hass, entry)

    for entity_id in (
        "sensor.pv_modbus_2_voltage_phase_1",
        "sensor.pv_modbus_2_power_phase_3",
        "sensor.heat_pump_modbus_3_voltage",
        "sensor.heat_pump_modbus_3_frequency",
        "sensor.ventilation_modbus_4_power_factor",
    ):
        registered = entity_registry.async_get(entity_id)
        assert registered is not None, entity_id
        assert registered.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    # Only what the enabled entities need is read: two requests per meter.
    assert [len(meter.requests) for meter in modbus_server.meters.values()] == [3, 3, 3]
    # (One of them the serial number, read once.)


async def test_devices_carry_what_the_meters_report(
    hass: HomeAssistant, device_registry: dr.DeviceRegistry, modbus_server: ModbusTcpPeer
) -> None:
    entry = _benext(modbus_server.port)
    assert await setup_integration(hass, entry)

    device = device_registry.async_get_device_by_identifier((DOMAIN, "meter_pv"), entry.entry_id)
    assert device is not None
    assert (device.manufacturer, device.model, device.serial_number) == (
        "Eastron",
        "SDM630",
        "21060123",
    )
    # The serial number read is kept with the meter's settings.
    assert entry.subentries["meter_pv"].data["serial"] == "21060123"


INEPRO_READINGS = MeterReadings.from_power(
    2300.0, three_phase=True, import_kwh=1523.25, export_kwh=0.5, voltage_v=(230.0,) * 3
)


@pytest.mark.parametrize(
    ("model", "readings", "power"),
    [
        (MeterModel.EASTRON_SDM630, None, "-2850.0"),
        (MeterModel.EASTRON_SDM220, None, "-2850.0"),
        (MeterModel.EASTRON_SDM120, None, "-2850.0"),
        (MeterModel.INEPRO_PRO380, INEPRO_READINGS, "2300.0"),
        (MeterModel.INEPRO_PRO1, INEPRO_READINGS, "2300.0"),
        (MeterModel.INEPRO_4PS, INEPRO_READINGS, "2300.0"),
    ],
)
async def test_every_model_is_detected_and_read(
    hass: HomeAssistant,
    model: MeterModel,
    readings: MeterReadings | None,
    power: str,
) -> None:
    """A meter left on "detect" is probed at start and read with its own map (kW -> W)."""
    base = ModbusTcpPeer().meters[2].readings
    meter = SimulatedKwhMeter(model, 5, serial=0x15060001, readings=readings or base)
    if not model.three_phase and readings is None:
        meter.readings = replace(base, voltage_v=(229.0, 0.0, 0.0))
    peer = ModbusTcpPeer([meter])
    await peer.start()
    try:
        entry = _installation(
            {"transport": "tcp", "network": network(peer.port)},
            modbus_meter_subentry("auxiliary", 5, "detect"),
        )
        assert await setup_integration(hass, entry)
        expected = meter.readings
        assert _state(hass, "sensor.auxiliary_modbus_5_power").state == power
        assert float(_state(hass, "sensor.auxiliary_modbus_5_energy_consumption").state) == (
            expected.import_kwh
        )
        assert _state(hass, "sensor.auxiliary_modbus_5_product_status").state == "ok"
    finally:
        await peer.stop()


async def test_inepro_4ps_on_the_heat_pump_shows_its_modes(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """Tariff 1 is space heating and tariff 2 hot water, by default."""
    readings = replace(
        INEPRO_READINGS, import_kwh_tariff=(1200.5, 322.75, 0.0, 0.0), active_tariff=2
    )
    peer = ModbusTcpPeer([SimulatedKwhMeter(MeterModel.INEPRO_4PS, 3, 0x21000003, readings)])
    await peer.start()
    try:
        meter = modbus_meter_subentry("heat_pump", 3, "inepro_4ps")
        entry = _installation({"transport": "tcp", "network": network(peer.port)}, meter)
        entry.add_to_hass(hass)
        for key in ("space_heating_energy", "hot_water_energy", "heat_pump_mode"):
            entity_registry.async_get_or_create(
                "sensor",
                DOMAIN,
                f"meter_heat_pump_{key}",
                config_entry=entry,
                config_subentry_id="meter_heat_pump",
                suggested_object_id=f"heat_pump_modbus_3_{key}",
            )
        assert await setup_integration(hass, entry)

        assert _state(hass, "sensor.heat_pump_modbus_3_space_heating_energy").state == "1200.5"
        assert _state(hass, "sensor.heat_pump_modbus_3_hot_water_energy").state == "322.75"
        assert _state(hass, "sensor.heat_pump_modbus_3_heat_pump_mode").state == "hot_water"
        assert _state(hass, "sensor.heat_pump_modbus_3_power").state == "2300.0"
    finally:
        await peer.stop()


async def test_glitches_never_reach_a_total(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """NaN, a 0, a drop and a negative total are rejected; the last good value stays."""
    entry = _benext(modbus_server.port)
    assert await setup_integration(hass, entry)
    meter = modbus_server.meters[3]
    entity_id = "sensor.heat_pump_modbus_3_energy_consumption"

    for glitch in (0.0, 3500.0, -1.0):
        meter.readings = replace(meter.readings, import_kwh=glitch)
        await _poll(hass, entry)
        assert _state(hass, entity_id).state == "3512.8", glitch

    meter.nan_registers = {(4, 0x0048)}
    await _poll(hass, entry)
    assert _state(hass, entity_id).state == "3512.8"

    meter.nan_registers = set()
    meter.readings = replace(meter.readings, import_kwh=3513.1)
    await _poll(hass, entry)
    assert _state(hass, entity_id).state == "3513.1"

    events = entry.runtime_data.buses["modbus"].meters["meter_heat_pump"].faults
    assert events["drop"] == 2
    assert events["negative"] == 1


async def test_a_total_continues_after_a_restart_without_a_zero(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """The restored last good value guards the first reading after a restart."""
    entity_id = "sensor.heat_pump_modbus_3_energy_consumption"
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(entity_id, "3600.0"),
                {
                    "native_value": 3600.0,
                    "native_unit_of_measurement": "kWh",
                    "serial": "22110456",
                },
            )
        ],
    )
    assert await setup_integration(hass, _benext(modbus_server.port))
    # The meter reads 3512.8, lower than the restored 3600.0: a glitch, not a new value.
    assert _state(hass, entity_id).state == "3600.0"


async def test_a_replaced_meter_counts_its_own_totals(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    modbus_server: ModbusTcpPeer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Another serial number at the address is a new meter, not a drop of the old one."""
    entry = _benext(modbus_server.port)
    assert await setup_integration(hass, entry)
    entity_id = "sensor.heat_pump_modbus_3_energy_consumption"
    new = SimulatedKwhMeter(
        MeterModel.EASTRON_SDM220,
        3,
        serial=24_000_001,
        readings=replace(modbus_server.meters[3].readings, import_kwh=2.5),
    )
    modbus_server.replace(3, new)

    await _poll(hass, entry)  # the drop makes the bus check the serial number
    await _poll(hass, entry)

    assert _state(hass, entity_id).state == "2.5"
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, "meter_heat_pump"), entry.entry_id
    )
    assert device is not None
    assert device.serial_number == "24000001"
    assert entry.subentries["meter_heat_pump"].data["serial"] == "24000001"
    assert "another meter answers at address 3" in caplog.text
    # Storing the new serial number did not reload the installation.
    assert entry.runtime_data.buses["modbus"].meters["meter_heat_pump"].faults["replaced"] == 1


async def test_a_silent_meter_is_unavailable_after_the_failed_polls_and_backs_off(
    hass: HomeAssistant,
    modbus_server: ModbusTcpPeer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Unavailable after 3 failed polls, not before; the others are read every poll."""
    entry = _benext(modbus_server.port)
    assert await setup_integration(hass, entry)
    heat_pump = "sensor.heat_pump_modbus_3_energy_consumption"
    modbus_server.silence(3)

    await _poll(hass, entry, 2)
    assert _state(hass, heat_pump).state == "3512.8"
    await _poll(hass, entry)
    assert _state(hass, heat_pump).state == STATE_UNAVAILABLE
    assert caplog.text.count("stopped answering at address 3") == 1

    # While it stays silent it is asked less and less often; the others every poll.
    ventilation = modbus_server.meters[4]
    read_before = len(ventilation.requests)
    ventilation.readings = replace(ventilation.readings, import_kwh=812.5)
    await _poll(hass, entry, 8)
    assert len(ventilation.requests) - read_before == 16
    # The silent meter was asked in polls 4, 6 and 10 only: 1, 2, then 4 polls apart.
    assert entry.runtime_data.buses["modbus"].meters["meter_heat_pump"].faults["no_answer"] == 3 + 3
    assert _state(hass, "sensor.ventilation_modbus_4_energy_consumption").state == "812.5"
    assert _state(hass, "binary_sensor.demo_home_rs485").state == STATE_ON

    modbus_server.revive(3)
    await _poll(hass, entry, 8)
    assert _state(hass, heat_pump).state == "3512.8"
    assert caplog.text.count("answers again at address 3") == 1


async def test_exception_responses_count_as_failed_polls(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    entry = _benext(modbus_server.port)
    assert await setup_integration(hass, entry)
    modbus_server.meters[4].exception = ExcCodes.DEVICE_BUSY
    await _poll(hass, entry, 3)
    assert _state(hass, "sensor.ventilation_modbus_4_power").state == STATE_UNAVAILABLE
    assert entry.runtime_data.buses["modbus"].meters["meter_ventilation"].faults["exception"] == 3


async def test_the_connection_is_rebuilt_after_the_converter_restarts(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    entry = _benext(modbus_server.port)
    assert await setup_integration(hass, entry)
    await modbus_server.stop()
    await _poll(hass, entry)
    assert _state(hass, "binary_sensor.demo_home_rs485").state == STATE_OFF
    assert _state(hass, "sensor.pv_modbus_2_power_production").state == STATE_UNAVAILABLE

    await modbus_server.start()
    await _poll(hass, entry)
    assert _state(hass, "binary_sensor.demo_home_rs485").state == STATE_ON
    assert _state(hass, "sensor.pv_modbus_2_power_production").state == "2850.0"
    assert entry.runtime_data.buses.get("modbus") is not None  # the same set-up, not a reload


async def test_modbus_rtu_over_a_serial_port(hass: HomeAssistant, tmp_path: Path) -> None:
    """A USB-RS485 adapter: Modbus RTU at 9600 8N1 on a pty pair made by socat."""
    pty = SerialPtyPair(tmp_path)
    await pty.start()
    peer = ModbusRtuPeer(pty)
    await peer.start()
    try:
        entry = _installation(
            {"transport": "rtu", "serial": {"device": pty.device, "baudrate": 9600}},
            modbus_meter_subentry("heat_pump", 3, "detect"),
        )
        assert await setup_integration(hass, entry)
        assert _state(hass, "sensor.heat_pump_modbus_3_energy_consumption").state == "3512.8"
        await hass.config_entries.async_unload(entry.entry_id)
    finally:
        await peer.stop()
        await pty.stop()


@pytest.mark.parametrize("fault", ["bad_crc", "wrong_address"])
async def test_corrupt_replies_over_rtu_over_tcp(
    hass: HomeAssistant, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A reply with a bad CRC or from another address is no answer; nothing is shown."""
    caplog.set_level(logging.WARNING)
    meter = ModbusTcpPeer().meters[3]
    good = FaultyRtuOverTcpPeer(meter)
    await good.start()
    entry = _installation(
        {"transport": "rtu_over_tcp", "network": network(good.port)},
        modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
    )
    try:
        assert await setup_integration(hass, entry)
        entity_id = "sensor.heat_pump_modbus_3_energy_consumption"
        assert _state(hass, entity_id).state == "3512.8"
        good.fault = fault  # type: ignore[assignment]
        meter.readings = replace(meter.readings, import_kwh=0.0)
        await _poll(hass, entry, 2)
        assert _state(hass, entity_id).state == "3512.8"
        await _poll(hass, entry)
        assert _state(hass, entity_id).state == STATE_UNAVAILABLE
        faults = entry.runtime_data.buses["modbus"].meters["meter_heat_pump"].faults
        assert faults["no_answer"] + faults["wrong_address"] == 3
        assert faults["drop"] == 0
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await good.stop()


def _pymodbus_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("pymodbus") and record.levelno >= logging.ERROR
    ]


async def test_a_converter_that_drops_the_connection_for_one_meter(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """Only that meter is lost and backs off; the others are read every poll, the bus is up."""
    meters = benext_meters()
    converter = DroppingRtuOverTcpPeer(meters)
    await converter.start()
    entry = _installation(
        {"transport": "rtu_over_tcp", "network": network(converter.port)},
        modbus_meter_subentry("pv", 2, "eastron_sdm630"),
        modbus_meter_subentry("heat_pump", 3, "eastron_sdm220"),
        modbus_meter_subentry("ventilation", 4, "eastron_sdm220"),
    )
    try:
        assert await setup_integration(hass, entry)
        heat_pump = "sensor.heat_pump_modbus_3_energy_consumption"
        assert _state(hass, heat_pump).state == "3512.8"
        converter.drop_at = {3}
        ventilation = meters[2]

        await _poll(hass, entry, 2)
        assert _state(hass, heat_pump).state == "3512.8"
        assert _state(hass, "binary_sensor.demo_home_rs485").state == STATE_ON
        await _poll(hass, entry)
        assert _state(hass, heat_pump).state == STATE_UNAVAILABLE
        assert _state(hass, "binary_sensor.demo_home_rs485").state == STATE_ON
        assert _state(hass, "sensor.ventilation_modbus_4_power").state == "42.5"
        assert caplog.text.count("stopped answering at address 3") == 1

        # Backed off like a silent meter: asked in polls 4, 6 and 10 only.
        read_before = len(ventilation.requests)
        ventilation.readings = replace(ventilation.readings, import_kwh=812.5)
        await _poll(hass, entry, 8)
        assert len(ventilation.requests) - read_before == 16
        faults = entry.runtime_data.buses["modbus"].meters["meter_heat_pump"].faults
        assert faults["no_answer"] == 3 + 3
        assert _state(hass, "sensor.ventilation_modbus_4_energy_consumption").state == "812.5"
        assert _state(hass, "sensor.pv_modbus_2_power_production").state == "2850.0"
        assert _state(hass, "binary_sensor.demo_home_rs485").state == STATE_ON
        assert not _pymodbus_errors(caplog)

        converter.drop_at = set()
        await _poll(hass, entry, 8)
        assert _state(hass, heat_pump).state == "3512.8"
        assert caplog.text.count("answers again at address 3") == 1
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await converter.stop()


async def test_a_silent_meter_logs_no_pymodbus_error(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer, caplog: pytest.LogCaptureFixture
) -> None:
    """A lost meter is one warning, not an ERROR with a frame dump every poll."""
    # As in a home: pymodbus at its default level, where it logs a repeat as "Repeating".
    caplog.set_level(logging.WARNING, logger="pymodbus.logging")
    entry = _benext(modbus_server.port)
    assert await setup_integration(hass, entry)
    modbus_server.silence(3)
    await _poll(hass, entry, 6)

    assert _state(hass, "sensor.heat_pump_modbus_3_power").state == STATE_UNAVAILABLE
    assert not _pymodbus_errors(caplog)
    assert "No response received" not in caplog.text
    assert [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.WARNING
        and record.name.startswith(("pymodbus", "custom_components.benext"))
    ] == ["Heat pump · Modbus 3 stopped answering at address 3: address 3: no answer"]


async def test_production_power_is_never_negative(
    hass: HomeAssistant, modbus_server: ModbusTcpPeer
) -> None:
    """At night a PV meter's inverter draws a little: that is its own use, not -5 W produced."""
    entry = _benext(modbus_server.port)
    assert await setup_integration(hass, entry)
    meter = modbus_server.meters[2]
    meter.readings = replace(meter.readings, power_w=5.0)
    await _poll(hass, entry)
    assert _state(hass, "sensor.pv_modbus_2_power_production").state == "0.0"
