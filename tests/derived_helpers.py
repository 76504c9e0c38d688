"""A home whose grid is a P1 smart meter and whose kWh meters are other integrations' sensors."""

from __future__ import annotations

import re
from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import CONF_P1_TOTAL_INTERVAL, DOMAIN
from tests.existing_helpers import existing_entity_subentry
from tests.p1_helpers import smart_meter_subentry
from tests.peers import FIXTURES, P1TelegramServer, network

FIXTURE = (FIXTURES / "dsmr5_nl_iskra_gas.txt").read_bytes()
PV = "sensor.inverter_energy"
HEAT_PUMP = "sensor.heat_pump_energy"
VENTILATION = "sensor.ventilation_energy"

HOUSEHOLD = "sensor.demo_home_household_energy"
BUILDING = "sensor.demo_home_building_related_energy"
NOM_BALANCE = "sensor.demo_home_nom_balance"
NOM_ON_TRACK = "sensor.demo_home_nom_on_track"
EPV_USED = "sensor.demo_home_epv_budget_used"
EPV_REMAINING = "sensor.demo_home_epv_budget_remaining"
EPV_ON_TRACK = "sensor.demo_home_epv_budget_on_track"


def _crc16(data: bytes) -> int:
    """DSMR's CRC16 (ARC): over the telegram from '/' up to and including '!'."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def telegram(import_t1: float, export_t1: float) -> bytes:
    """The DSMR 5 fixture with other tariff 1 totals (tariff 2 stays), its CRC made anew."""
    text = FIXTURE.decode("ascii")
    text = re.sub(r"1-0:1\.8\.1\([\d.]+\*kWh\)", f"1-0:1.8.1({import_t1:010.3f}*kWh)", text)
    text = re.sub(r"1-0:2\.8\.1\([\d.]+\*kWh\)", f"1-0:2.8.1({export_t1:010.3f}*kWh)", text)
    body = text[: text.index("!") + 1].encode("ascii")
    return body + f"{_crc16(body):04X}\r\n".encode("ascii")


def set_energy(hass: HomeAssistant, entity_id: str, kwh: str) -> None:
    """Another integration's energy total."""
    hass.states.async_set(
        entity_id,
        kwh,
        {
            "device_class": "energy",
            "unit_of_measurement": "kWh",
            "state_class": "total_increasing",
        },
    )


def derived_home(
    p1_server: P1TelegramServer, *, grid: bool = True, options: dict[str, Any] | None = None
) -> MockConfigEntry:
    """The smart meter, and the PV, heat pump and ventilation totals of other integrations."""
    subentries = [
        existing_entity_subentry(PV, "pv", "Inverter energy · PV", "pv"),
        existing_entity_subentry(HEAT_PUMP, "heat_pump", "Heat pump energy · Heat pump", "hp"),
        existing_entity_subentry(
            VENTILATION, "ventilation", "Ventilation energy · Ventilation", "vent"
        ),
    ]
    data: dict[str, Any] = {}
    if grid:
        subentries.insert(0, smart_meter_subentry(p1_server.telegram))
        data["p1"] = {"transport": "network", "network": network(p1_server.port)}
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo home",
        data=data,
        options={CONF_P1_TOTAL_INTERVAL: 0, **(options or {})},
        subentries_data=subentries,
    )
