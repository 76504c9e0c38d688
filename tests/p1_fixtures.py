"""The P1 fixtures: DSMR telegrams with their expected values, and gPlug (Tasmota) payloads.

The telegrams and `expected.json` are copied from ../shared/fixtures/dsmr_telegrams/
(real telegrams from dsmr_parser's test data; see tests/fixtures/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from custom_components.benext.bus.p1.reading import P1Quantity
from custom_components.benext.bus.p1.versions import DsmrVersion

DSMR_TELEGRAMS = Path(__file__).parent / "fixtures" / "dsmr_telegrams"
EXPECTED: list[dict[str, Any]] = json.loads((DSMR_TELEGRAMS / "expected.json").read_text())[
    "fixtures"
]
GOOD = [fixture for fixture in EXPECTED if not fixture["crc"].startswith("INVALID")]

# expected.json's names, and the quantity each one is (energy kWh; power kW there, W here).
QUANTITIES = {
    "ELECTRICITY_USED_TARIFF_1": P1Quantity.ENERGY_IMPORT_T1,
    "ELECTRICITY_USED_TARIFF_2": P1Quantity.ENERGY_IMPORT_T2,
    "ELECTRICITY_DELIVERED_TARIFF_1": P1Quantity.ENERGY_EXPORT_T1,
    "ELECTRICITY_DELIVERED_TARIFF_2": P1Quantity.ENERGY_EXPORT_T2,
    "ELECTRICITY_IMPORTED_TOTAL": P1Quantity.ENERGY_IMPORT,
    "ELECTRICITY_EXPORTED_TOTAL": P1Quantity.ENERGY_EXPORT,
    "CURRENT_ELECTRICITY_USAGE": P1Quantity.POWER_IMPORT,
    "CURRENT_ELECTRICITY_DELIVERY": P1Quantity.POWER_EXPORT,
    "BELGIUM_CURRENT_AVERAGE_DEMAND": P1Quantity.AVERAGE_DEMAND,
}
# The variant each fixture is detected as; DSMR 3 has DSMR 2.2's specification.
DETECTED = {"3": "2.2"}


def raw(name: str) -> bytes:
    """A fixture's bytes, as on the wire."""
    return (DSMR_TELEGRAMS / name).read_bytes()


def expected_value(name: str, entry: dict[str, str]) -> float:
    """An expected.json value in our units."""
    value = float(entry["value"])
    unit = entry["unit"]
    if unit == "kW":
        return round(value * 1000, 6)
    if unit == "Wh":
        return value / 1000
    return value


def version_of(fixture: dict[str, Any]) -> DsmrVersion:
    """The variant a fixture is read with."""
    spec_version = fixture["dsmr_version_string"].split()[0]
    return DsmrVersion(DETECTED.get(spec_version, spec_version))


# tele/<topic>/SENSOR of a gPlugD on a DSMR meter with an SMA inverter script beside it,
# captured 2026-09-11 (gplug-ch/gplug-ems, ems/backend/tests/test_integrations.be).
GPLUGD_SENSOR = json.loads(
    '{"Time":"2026-09-11T14:49:11",'
    '"z":{"SMid":"3130343837303239","Pi":0.000,"Po":14.421,"P1i":0,"P2i":0,"P3i":0,'
    '"P1o":4954,"P2o":4832,"P3o":4632,"V1":229.1,"V2":229.5,"V3":229.1,"I1":22,"I2":21,'
    '"I3":20,"Ei1":18752.361,"Ei2":24226.039,"Eo1":118116.025,"Eo2":50.288},'
    '"SMA":{"spM":103,"spMl":50,"Iac":null,"Iac1":23.3,"Iac2":23.3,"Iac3":23.4,"Isf":-1,'
    '"U1":229.5,"U2":230.0,"U3":229.6,"Usf":-1,"P_AC":16.07,"Psf":1,"f_AC":49.99,"fsf":-2,'
    '"Pa_AC":16.07,"Pa_sf":1,"Pr_AC":null,"Pr_sf":1,"pf_AC":0.999,"pfsf":-3,'
    '"E_AC":30451.047,"Esf":1},'
    '"ESP32":{"Temperature":42.7},"TempUnit":"C"}'
)

# GET /cm?cmnd=status%2010 of a gPlugM on a Landis+Gyr E450
# (saliWd/strommesser, pico2w/function_def.py).
GPLUGM_STATUS = json.loads(
    '{"StatusSNS":{"Time":"2025-04-26T22:49:54","z":{"SMid":"72913313","Pi":0.010,'
    '"Po":0.000,"I1":0.35,"I2":0.42,"I3":0.12,"Ei":168.754,"Eo":604.610,"Ei1":130.675,'
    '"Ei2":38.070,"Eo1":114.819,"Eo2":489.779,"Q5":154.927,"Q6":10.593,"Q7":84.753,'
    '"Q8":121.569}}}'
)
