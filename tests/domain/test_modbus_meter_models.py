"""Which meter a scan's answer may be: the scan names a meter by its register map."""

from __future__ import annotations

import pytest

from custom_components.benext.domain.modbus_meter_models import answers_as


@pytest.mark.parametrize(
    ("configured", "found", "expected"),
    [
        ("eastron_sdm220", "eastron_sdm220", True),
        # The SDM120 shares the SDM220's map, and a Klefr 6924 is an Inepro PRO380.
        ("eastron_sdm120", "eastron_sdm220", True),
        ("klefr_6924", "inepro_pro380", True),
        ("eastron_sdm630", "eastron_sdm220", False),
        ("inepro_pro1", "eastron_sdm220", False),
        # Without a published map a model is only ever itself.
        ("controlin_skd100", "eastron_sdm220", False),
        ("not_a_model", "eastron_sdm220", False),
    ],
)
def test_answers_as(configured: str, found: str, expected: bool) -> None:
    assert answers_as(configured, found) is expected
