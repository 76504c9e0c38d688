"""The kWh meters of a test installation, as the subentry flow stores them."""

from __future__ import annotations

from typing import Any

from custom_components.benext.const import SUBENTRY_KWH_METER

ROLE_NAMES = {
    "pv": "PV",
    "heat_pump": "Heat pump",
    "ventilation": "Ventilation",
    "auxiliary": "Auxiliary",
}


def modbus_meter_subentry(role: str, address: int, model: str = "detect") -> dict[str, Any]:
    """The subentry data of a kWh meter, as the subentry flow stores it."""
    return {
        "subentry_id": f"meter_{role}",
        "subentry_type": SUBENTRY_KWH_METER,
        "title": f"{ROLE_NAMES[role]} · Modbus {address}",
        "unique_id": None,
        "data": {"role": role, "address": address, "model": model},
    }
