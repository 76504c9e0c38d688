"""The bus's client keeps pymodbus's log of other users' requests as it is."""

from __future__ import annotations

import logging

import pytest

from custom_components.benext.bus.connection import Bus, BusConnection
from custom_components.benext.bus.modbus.client import ModbusBusClient


async def test_pymodbus_errors_of_other_requests_are_kept(caplog: pytest.LogCaptureFixture) -> None:
    """Only our own unanswered requests lose pymodbus's error: Home Assistant's modbus keeps it."""
    client = ModbusBusClient(
        BusConnection.from_dict(
            Bus.MODBUS, {"transport": "tcp", "network": {"host": "127.0.0.1", "port": 1}}
        )
    )
    caplog.set_level(logging.WARNING, logger="pymodbus.logging")
    logging.getLogger("pymodbus.logging").error(
        "No response received after 0 retries, continue with next request"
    )
    assert [record.levelno for record in caplog.records] == [logging.ERROR]
    client.close()
