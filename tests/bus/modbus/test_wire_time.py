"""The wire time model of Modbus RTU."""

from __future__ import annotations

import pytest

from custom_components.benext.bus.modbus.wire_time import (
    bits_per_char,
    request_bytes,
    wire_seconds,
)


def test_request_and_response_frames() -> None:
    """8-byte request; 5 bytes around the registers of the response."""
    assert request_bytes(2) == 17
    assert request_bytes(14) == 41


def test_wire_seconds_at_9600_baud_8n1() -> None:
    char = 10 / 9600
    assert wire_seconds([2], 9600) == pytest.approx(17 * char + 7 * char)
    assert wire_seconds([2, 4], 9600) == pytest.approx((17 + 21 + 14) * char)


def test_silent_interval_is_fixed_above_19200_baud() -> None:
    char = 10 / 38400
    assert wire_seconds([2], 38400) == pytest.approx(17 * char + 2 * 0.00175)


def test_bits_per_character() -> None:
    assert bits_per_char() == 10
    assert bits_per_char(8, "E", 1) == 11
