"""wmbusmeters' log lines: the one that tells a meter's key is wrong."""

from __future__ import annotations

from custom_components.benext.bus.wmbus.log_lines import undecryptable_meter_id

# As wmbusmeters 2.0.0 writes it to stderr for the real encrypted Multical 21 telegram of
# tests/fixtures/wmbus_telegrams.json (index 0) decoded with the key 00000000...
WRONG_KEY_LINE = (
    "(wmbus) WARNING! decrypted payload crc failed check, did you use the correct decryption "
    "key? 4232 payload crc (calculated d50e) Permanently ignoring telegrams from id: 76348799 "
    "mfct: (KAM) Kamstrup Energi (0x2c2d) type: Cold water meter (0x16) ver: 0x1b"
)


def test_wrong_key_line_names_the_meter() -> None:
    """The meter id comes from wmbusmeters' warning."""
    assert undecryptable_meter_id(WRONG_KEY_LINE) == "76348799"


def test_other_lines_name_none() -> None:
    """Start-up lines and a meter's other complaints are not about its key."""
    assert undecryptable_meter_id("Started config hextty on stdin listening on any") is None
    assert (
        undecryptable_meter_id(
            "(meter) newly created meter (MyWater 76348799 multical21) did not handle telegram!"
        )
        is None
    )
