"""Constants of the BeNext integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "benext"
LOGGER = logging.getLogger(__package__)

# Config entry data: one key per configured bus, holding BusConnection.as_dict().
CONF_NAME: Final = "name"
CONF_TRANSPORT: Final = "transport"
CONF_DEVICE: Final = "device"
CONF_BAUDRATE: Final = "baudrate"
CONF_BYTESIZE: Final = "bytesize"
CONF_PARITY: Final = "parity"
CONF_STOPBITS: Final = "stopbits"
CONF_RADIO: Final = "radio"
TRANSPORT_NONE: Final = "none"

# Options
CONF_MODBUS_POLL_INTERVAL: Final = "modbus_poll_interval"
DEFAULT_MODBUS_POLL_INTERVAL: Final = 30
MODBUS_POLL_INTERVAL_MIN: Final = 5
MODBUS_POLL_INTERVAL_MAX: Final = 3600

# Config subentries: one type per kind of meter.
SUBENTRY_KWH_METER: Final = "kwh_meter"
CONF_ROLE: Final = "role"
CONF_ADDRESS: Final = "address"
CONF_MODEL: Final = "model"

# How often a bus that is not read yet is checked for reachability.
REACHABILITY_INTERVAL: Final = timedelta(seconds=30)
# A push bus (wmbusmeters posting to us) counts as offline after this long without a
# telegram: wireless meters send every 16 s to 15 min.
PUSH_SILENCE_LIMIT: Final = timedelta(minutes=20)
