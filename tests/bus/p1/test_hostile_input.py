"""The decoder under hostile input: endless frames, any bytes in any chunking, wild values."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.benext.bus.p1.crc import crc16_arc
from custom_components.benext.bus.p1.decoder import (
    MAX_HOME_POWER_W,
    MAX_TELEGRAM_CHARACTERS,
    Decoded,
    Rejection,
    TelegramDecoder,
)
from custom_components.benext.bus.p1.reading import P1Quantity
from custom_components.benext.bus.p1.versions import DsmrVersion
from tests.p1_fixtures import raw

GOOD = raw("dsmr5_nl_iskra_gas.txt")
NO_CRC = raw("dsmr22_nl_iskra_gas_nocrc.txt")
KEY = "00112233445566778899AABBCCDDEEFF"
# An encrypted frame's header: cipher tag, system title, long-form length of its payload.
ENCRYPTED_FRAME = bytes([0xDB, 8]) + b"SAG12345" + bytes([0x82, 0x00, 0x20, 0x30]) + bytes(31)


def feed_in_chunks(decoder: TelegramDecoder, stream: bytes, size: int = 4096) -> list[Decoded]:
    """Feed `stream` as a reader would, checking the decoder's bound after every read."""
    decoded: list[Decoded] = []
    for start in range(0, len(stream), size):
        decoded += decoder.feed(stream[start : start + size])
        assert decoder.buffered <= MAX_TELEGRAM_CHARACTERS
    return decoded


def readings(decoded: list[Decoded]) -> list[float]:
    """The import total of each telegram read."""
    return [d.reading.values[P1Quantity.ENERGY_IMPORT_T1] for d in decoded if d.reading]


def test_the_bound_is_a_few_kib_above_the_largest_fixture() -> None:
    """No real telegram comes near the bound; a text message's longest fits in it twice."""
    from tests.p1_fixtures import DSMR_TELEGRAMS  # noqa: PLC0415

    largest = max(len(path.read_bytes()) for path in DSMR_TELEGRAMS.glob("*.txt"))
    assert largest + 4096 < MAX_TELEGRAM_CHARACTERS


@pytest.mark.parametrize("size", [1, 7, 4096])
def test_an_endless_frame_is_dropped_and_the_next_telegram_read(size: int) -> None:
    """A `/` that never ends is dropped at the bound, counted once; the next telegram reads."""
    endless = b"/ISK5\\2M550T-1012\r\n" + b"1-0:1.8.1(000004.426*kWh)\r\n" * 2000
    decoder = TelegramDecoder(DsmrVersion.V5)
    decoded = feed_in_chunks(decoder, endless, size)
    assert [d.rejection for d in decoded] == [Rejection.TOO_LONG]
    # The dropped frame's own end arrives, then a good telegram.
    decoded = feed_in_chunks(decoder, b"!1234\r\n" + GOOD + GOOD, size)
    assert readings(decoded) == [4.426, 4.426]
    assert all(d.rejection is None for d in decoded)


def test_a_telegram_just_within_the_bound_is_read() -> None:
    """The bound drops only what no meter sends: a long (padded) telegram still reads."""
    body_end = GOOD.rindex(b"0-0:96.13.0()")
    message = b"0-0:96.13.0(" + b"41" * 2048 + b")"
    body = GOOD[:body_end] + message + GOOD[body_end + len(b"0-0:96.13.0()") : GOOD.rindex(b"!")]
    telegram = body + b"!" + f"{crc16_arc(body + b'!'):04X}\r\n".encode()
    assert MAX_TELEGRAM_CHARACTERS / 2 < len(telegram) < MAX_TELEGRAM_CHARACTERS
    decoded = feed_in_chunks(TelegramDecoder(DsmrVersion.V5), telegram, 64)
    assert readings(decoded) == [4.426]


def test_an_encrypted_frame_claiming_too_much_is_dropped() -> None:
    """A cipher tag whose length says 64 KiB is noise: the buffer stays bounded."""
    decoder = TelegramDecoder(DsmrVersion.SAGEMCOM_T210_D_R, KEY)
    claim = bytes([0xDB, 8]) + b"SAG12345" + bytes([0x82, 0xFF, 0xFF])
    decoded = feed_in_chunks(decoder, claim + bytes(20_000) + ENCRYPTED_FRAME, 512)
    # The real frame behind the noise is framed (and fails on the wrong key).
    assert [d.rejection for d in decoded] in (
        [Rejection.DECRYPTION],
        [Rejection.PARSE],
    )
    assert decoder.buffered == 0


# Pieces a hostile or broken reader may send: telegram fragments, frame starts and ends,
# cipher headers, and arbitrary bytes.
PIECES = st.one_of(
    st.binary(max_size=64),
    st.sampled_from([GOOD, NO_CRC, b"/", b"!", b"\r\n", b"!6EEE\r\n", b"\xdb", ENCRYPTED_FRAME]),
    st.builds(lambda n: GOOD[:n], st.integers(0, len(GOOD))),
    st.builds(lambda n: GOOD[n:], st.integers(0, len(GOOD))),
    st.builds(lambda n, c: b"/" + c * n, st.integers(0, 12_000), st.sampled_from([b"a", b"1"])),
    st.builds(
        lambda length: bytes([0xDB, 8]) + b"SAG12345" + bytes([0x82]) + length.to_bytes(2),
        st.integers(0, 0xFFFF),
    ),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    version=st.sampled_from([DsmrVersion.V5, DsmrVersion.V2_2, DsmrVersion.SAGEMCOM_T210_D_R]),
    pieces=st.lists(PIECES, max_size=12),
    cuts=st.lists(st.integers(1, 5000), min_size=1, max_size=8),
)
def test_any_bytes_in_any_chunking_stay_bounded(
    version: DsmrVersion, pieces: list[bytes], cuts: list[int]
) -> None:
    """Whatever the stream and however it is cut, the decoder never raises nor outgrows it."""
    key = KEY if version is DsmrVersion.SAGEMCOM_T210_D_R else None
    decoder = TelegramDecoder(version, key)
    stream = b"".join(pieces)
    position = 0
    for cut in cuts * (len(stream) // sum(cuts) + 1):
        if position >= len(stream):
            break
        for decoded in decoder.feed(stream[position : position + cut]):
            assert (decoded.reading is None) != (decoded.rejection is None)
        assert decoder.buffered <= MAX_TELEGRAM_CHARACTERS
        position += cut
    # A good telegram after it all is read.
    if key is None:
        good = NO_CRC if version is DsmrVersion.V2_2 else GOOD
        assert any(d.reading for d in decoder.feed(b"\r\n" + good))


def _with_power(telegram: bytes, old: bytes, new: bytes) -> bytes:
    return telegram.replace(old, new, 1)


def test_power_beyond_a_home_connection_rejects_a_telegram_without_crc() -> None:
    """DSMR 2.2 has no CRC: 99 kW of power was garbled on the line, the telegram goes."""
    assert 55_000 < MAX_HOME_POWER_W < 56_000
    garbled = _with_power(NO_CRC, b"1-0:1.7.0(0001.01*kW)", b"1-0:1.7.0(0099.01*kW)")
    (decoded,) = TelegramDecoder(DsmrVersion.V2_2).feed(garbled)
    assert decoded.reading is None
    assert decoded.rejection is Rejection.IMPLAUSIBLE
    assert "power_import" in decoded.detail
    # Just within what the connection carries, it is believed.
    busy = _with_power(NO_CRC, b"1-0:1.7.0(0001.01*kW)", b"1-0:1.7.0(0055.00*kW)")
    (decoded,) = TelegramDecoder(DsmrVersion.V2_2).feed(busy)
    assert decoded.reading is not None
    assert decoded.reading.values[P1Quantity.POWER_IMPORT] == 55_000.0


def test_a_phase_beyond_a_home_connection_rejects_a_telegram_without_crc() -> None:
    """The Iskra IE meter sends no CRC: its per-phase power is checked as well."""
    telegram = raw("iskra_ie5_nocrc.txt")
    line = next(ln for ln in telegram.split(b"\r\n") if ln.startswith(b"1-0:21.7.0("))
    garbled = telegram.replace(line, b"1-0:21.7.0(99.999*kW)", 1)
    (decoded,) = TelegramDecoder(DsmrVersion.ISKRA_IE).feed(garbled)
    assert decoded.rejection is Rejection.IMPLAUSIBLE
    assert "power_import_l1" in decoded.detail


def test_a_telegram_with_crc_is_trusted_on_power() -> None:
    """With a matching CRC the line garbled nothing: a large value is the meter's own."""
    body = GOOD[: GOOD.rindex(b"!") + 1].replace(b"1-0:1.7.0(00.244*kW)", b"1-0:1.7.0(99.244*kW)")
    telegram = body + f"{crc16_arc(body):04X}\r\n".encode()
    (decoded,) = TelegramDecoder(DsmrVersion.V5).feed(telegram)
    assert decoded.reading is not None
    assert decoded.reading.values[P1Quantity.POWER_IMPORT] == 99_244.0
