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
# Failed polls in a row before a meter's entities become unavailable.
CONF_MODBUS_FAILED_POLLS: Final = "modbus_failed_polls"
DEFAULT_MODBUS_FAILED_POLLS: Final = 3
MODBUS_FAILED_POLLS_MIN: Final = 1
MODBUS_FAILED_POLLS_MAX: Final = 20

# How often the smart meter's values may be written: power with every telegram by
# default, totals at most every 10 s (a DSMR 5 meter sends every second).
CONF_P1_POWER_INTERVAL: Final = "p1_power_interval"
DEFAULT_P1_POWER_INTERVAL: Final = 0
P1_POWER_INTERVAL_MAX: Final = 60
CONF_P1_TOTAL_INTERVAL: Final = "p1_total_interval"
DEFAULT_P1_TOTAL_INTERVAL: Final = 10
P1_TOTAL_INTERVAL_MAX: Final = 300

# Config subentries: one type per kind of meter.
SUBENTRY_KWH_METER: Final = "kwh_meter"
SUBENTRY_SMART_METER: Final = "smart_meter"
CONF_ROLE: Final = "role"
CONF_ADDRESS: Final = "address"
CONF_MODEL: Final = "model"
# The register map the meter answered to, and its serial number, as read when it was added.
CONF_REGISTER_MAP: Final = "register_map"
CONF_SERIAL: Final = "serial"
# A smart meter: its DSMR variant, decryption key, and what its telegrams carry.
CONF_DSMR_VERSION: Final = "dsmr_version"
CONF_KEY: Final = "key"
CONF_MANUFACTURER: Final = "manufacturer"
CONF_QUANTITIES: Final = "quantities"
CONF_TARIFF: Final = "tariff"
CONF_MBUS_METERS: Final = "mbus_meters"
CONF_CHANNEL: Final = "channel"
CONF_KIND: Final = "kind"
# An M-Bus meter whose telegrams carry its valve's position (a gas meter's valve).
CONF_VALVE: Final = "valve"
# An Inepro 4PS on a heat pump: the heat pump mode of each tariff T1..T4.
CONF_TARIFF_MODES: Final = "tariff_modes"

# Entry data: what the last scans of the RS485 bus found, by address (`modbus/scan_hits.py`).
# Stored as the bus finds it: a scan reloads nothing (`runtime.HEARD_ENTRY_KEYS`).
CONF_MODBUS_SCAN: Final = "modbus_scan"
# A meter that is an entity of another integration: its entity registry id (its entity id
# when it is not registered) and its role.
SUBENTRY_EXISTING_ENTITY: Final = "existing_entity"
CONF_ENTITY_ID: Final = "entity_id"

# How often a bus that is not read yet is checked for reachability.
REACHABILITY_INTERVAL: Final = timedelta(seconds=30)
# A push bus (wmbusmeters posting to us) counts as offline after this long without a
# telegram: wireless meters send every 16 s to 15 min.
PUSH_SILENCE_LIMIT: Final = timedelta(minutes=20)

# A wireless M-Bus meter: its 8-digit id, its wmbusmeters driver, and the fields its
# telegrams carried, so that its sensors exist from the start after a restart.
SUBENTRY_WMBUS_METER: Final = "wmbus_meter"
CONF_METER_ID: Final = "meter_id"
CONF_DRIVER: Final = "driver"
CONF_FIELDS: Final = "fields"
CONF_DETECTED_DRIVER: Final = "detected_driver"
CONF_WEBHOOK_ID: Final = "webhook_id"
# A Tasmota reader's MQTT topic (its device topic, as in tele/<topic>/SENSOR).
CONF_TOPIC: Final = "topic"
CONF_TOKEN: Final = "token"  # noqa: S105 -- the key's name, not a token
DRIVER_AUTO: Final = "auto"
# The largest request body the wM-Bus endpoint reads: a telegram's JSON is well under 2 KiB.
WMBUS_MAX_BODY: Final = 256 * 1024
# How long an id that no meter claims stays in the list of meters heard.
WMBUS_HEARD_FOR: Final = timedelta(minutes=30)
# At most this many unclaimed ids are listed as heard, and offered for discovery, per
# installation: a busy street's meters (or invented ids) must not pile up.
WMBUS_MAX_HEARD: Final = 50
WMBUS_MAX_DISCOVERIES: Final = 50
# At most this many fields a meter gains from its telegrams (each may become an entity);
# BeNext's meters carry up to about 40.
WMBUS_MAX_FIELDS: Final = 64

# The installation's hub device: one home monitored the way a BeNext gateway monitors it.
HUB_MANUFACTURER: Final = "BeNext"
HUB_MODEL: Final = "Home installation"

# The EPV contract's yearly household energy budget in kWh; 0 for none.
CONF_EPV_BUDGET: Final = "epv_budget"
EPV_BUDGET_MAX: Final = 100_000
