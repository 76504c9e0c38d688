"""Where the simulated home's peers listen and post: the one place that defines it.

Both the simulator (`python -m simulated_home`) and the demo config entry that
`scripts/develop` seeds read these values. `python -m simulated_home.endpoints`
prints them as shell assignments for the launcher.
"""

from __future__ import annotations

HOST = "127.0.0.1"
# Unprivileged, fixed, and away from the usual ports (502 Modbus, 8123 Home Assistant,
# 2001/8088/23 for P1 network readers), so a developer's real peers do not clash.
P1_PORT = 18023
MODBUS_PORT = 15020

# The kWh meters on the simulated RS485 bus: Modbus device id -> (role, model).
KWH_METERS: dict[int, tuple[str, str]] = {
    2: ("pv", "eastron_sdm630"),
    3: ("heat_pump", "eastron_sdm220"),
    4: ("ventilation", "eastron_sdm220"),
}

# Home Assistant as scripts/develop runs it (scripts/seed_demo_entry.py seeds its HTTP
# server's settings).
HOME_ASSISTANT_PORT = 8123
HOME_ASSISTANT_URL = f"http://{HOST}:{HOME_ASSISTANT_PORT}"
# The demo installation's wM-Bus endpoint: fixed, so the simulator knows where to post.
# Not secrets: they only open the demo installation on loopback.
WMBUS_WEBHOOK_ID = "benext_demo_home_wmbus"
WMBUS_TOKEN = "benext-demo-home-wmbus-token"  # noqa: S105 -- a demo value, see above
WMBUS_URL = f"{HOME_ASSISTANT_URL}/api/webhook/{WMBUS_WEBHOOK_ID}"

# The wireless M-Bus meters: meter id -> (role, wmbusmeters driver).
WMBUS_METERS: dict[str, tuple[str, str]] = {
    "29481002": ("space_heating", "qualcosonic"),
    "03016408": ("hot_tap_water", "qualcosonic"),
    "76348799": ("cold_water", "multical21"),
    "66666666": ("indoor_climate", "cma12w"),
}


if __name__ == "__main__":
    print(f"SIM_HOST={HOST}")
    print(f"SIM_P1_PORT={P1_PORT}")
    print(f"SIM_MODBUS_PORT={MODBUS_PORT}")
    print(f"SIM_WMBUS_URL={WMBUS_URL}")
