"""Decoding registers: the register map notes' test vectors."""

from __future__ import annotations

import pytest

from custom_components.benext.bus.modbus.decode import decode_block, decode_serial, decode_value
from custom_components.benext.bus.modbus.planner import plan_reads
from custom_components.benext.bus.modbus.quantities import Quantity
from custom_components.benext.bus.modbus.register_maps import (
    EASTRON_3P,
    INEPRO_3P,
    INEPRO_4PS,
    Encoding,
    Register,
)

NAN = [0x7FC0, 0x0000]


@pytest.mark.parametrize(
    ("words", "value"),
    [([0x4366, 0x8000], 230.5), ([0x4248, 0x0000], 50.0), ([0x4180, 0x0000], 16.0)],
)
def test_float32_high_word_first(words: list[int], value: float) -> None:
    assert decode_value(Register(0), words) == value


def test_nan_and_infinity_are_no_value() -> None:
    """Inepro answers NaN for a value its model does not have."""
    assert decode_value(Register(0), NAN) is None
    assert decode_value(Register(0), [0x7F80, 0x0000]) is None


def test_inepro_power_is_converted_from_kw() -> None:
    block = plan_reads(INEPRO_3P, [Quantity.POWER])[0]
    assert decode_block(INEPRO_3P, block, [0x3FC0, 0x0000]) == {Quantity.POWER: 1500.0}


def test_tariff_word_is_a_signed_register() -> None:
    assert decode_value(Register(0x6048, Encoding.INT16), [2]) == 2


def test_block_values_by_offset() -> None:
    block = plan_reads(EASTRON_3P, [Quantity.IMPORT_ENERGY, Quantity.EXPORT_ENERGY])[0]
    values = decode_block(EASTRON_3P, block, [0x4366, 0x8000, *NAN])
    assert values == {Quantity.IMPORT_ENERGY: 230.5, Quantity.EXPORT_ENERGY: None}
    with pytest.raises(ValueError, match="expected 4 registers"):
        decode_block(EASTRON_3P, block, [0, 0])


def test_serial_numbers_as_printed_on_the_label() -> None:
    """Inepro prints its serial as hexadecimal digits; Eastron in decimal."""
    assert decode_serial(INEPRO_4PS, [0x1506, 0x0001]) == "15060001"
    assert decode_serial(EASTRON_3P, [0x0130, 0x2E5D]) == "19934813"
    assert decode_serial(EASTRON_3P, [0, 0]) is None
    assert decode_serial(INEPRO_3P, [0xFFFF, 0xFFFF]) is None
