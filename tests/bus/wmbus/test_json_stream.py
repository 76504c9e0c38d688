"""JsonObjectStream: wmbusmeters' output, compact or pretty, cut anywhere, with garbage between."""

from __future__ import annotations

import json

import pytest

from custom_components.benext.bus.wmbus.json_stream import JsonObjectStream
from tests.wmbus_fixtures import WMBUS_FIXTURES

# wmbusmeters 2.0.0 answering a stdin:jsonl decode request made with a wrong key, byte for
# byte (captured from /usr/bin/wmbusmeters 2.0.0 in the test root): pretty-printed over
# several lines, with the error fields glued on after the closing line of the rest.
MULTICAL21_HEX = (
    "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24"
)
WRONG_KEY_OUTPUT_2_0_0 = (
    "{\n"
    '    "_":"telegram",\n'
    '    "media":"cold water",\n'
    '    "meter":"multical21",\n'
    '    "name":"",\n'
    '    "id":"76348799",\n'
    '    "timestamp":"1970-01-01T00:00:00Z"\n'
    ', "error": "decryption failed, please check key", "telegram": '
    '"' + MULTICAL21_HEX + '"}\n'
)
WRONG_KEY_OBJECT = {
    "_": "telegram",
    "media": "cold water",
    "meter": "multical21",
    "name": "",
    "id": "76348799",
    "timestamp": "1970-01-01T00:00:00Z",
    "error": "decryption failed, please check key",
    "telegram": MULTICAL21_HEX,
}
# Every JSON token that can be cut: literals, numbers with fraction and exponent, escapes
# (a surrogate pair among them), nesting, and braces inside strings.
AWKWARD_OBJECT = (
    '{"a": [true, false, null, -1.5e+10, 0, 2E-3, "x\\u00e9\\"y\\\\", '
    '{"b": NaN, "c": -Infinity, "d": Infinity}], "s": "\\ud83d\\ude00 }{", "z": 12}'
)
MULTICAL21 = WMBUS_FIXTURES[0]
QUALCOSONIC = WMBUS_FIXTURES[8]


def compact(value: object) -> str:
    """The value as wmbusmeters 3.x prints it: one compact line."""
    return json.dumps(value, separators=(",", ":")) + "\n"


def feed_all(stream: JsonObjectStream, pieces: list[str]) -> list[object]:
    """Everything the stream returns for the pieces, fed one after the other."""
    return [value for piece in pieces for value in stream.feed(piece)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (WRONG_KEY_OUTPUT_2_0_0, WRONG_KEY_OBJECT),
        (json.dumps(MULTICAL21.expected, indent=4) + "\n", MULTICAL21.expected),
        (compact(QUALCOSONIC.expected), QUALCOSONIC.expected),
        (AWKWARD_OBJECT, json.loads(AWKWARD_OBJECT)),
    ],
    ids=["2.0.0-pretty-wrong-key", "pretty", "compact", "awkward"],
)
def test_an_object_cut_at_every_position(text: str, expected: object) -> None:
    """Whichever character the text is cut at, the object comes out once, when complete."""
    complete_at = len(text.rstrip())  # just after the closing "}"
    for cut in range(len(text) + 1):
        stream = JsonObjectStream()

        first = stream.feed(text[:cut])
        second = stream.feed(text[cut:])

        assert (first, second) == (([expected], []) if cut >= complete_at else ([], [expected]))
        assert stream.skipped == 0


@pytest.mark.parametrize("text", [WRONG_KEY_OUTPUT_2_0_0, AWKWARD_OBJECT])
def test_an_object_fed_one_character_at_a_time(text: str) -> None:
    """A reader that gets one character per read still gets the object, exactly once."""
    stream = JsonObjectStream()

    assert feed_all(stream, list(text)) == [json.loads(text)]


def test_objects_back_to_back_in_one_feed() -> None:
    """Pretty and compact objects, with and without line breaks between, in one piece."""
    stream = JsonObjectStream()
    text = (
        json.dumps(MULTICAL21.expected, indent=4)
        + compact(QUALCOSONIC.expected)
        + WRONG_KEY_OUTPUT_2_0_0
        + compact(MULTICAL21.expected).strip()
    )

    assert stream.feed(text) == [
        MULTICAL21.expected,
        QUALCOSONIC.expected,
        WRONG_KEY_OBJECT,
        MULTICAL21.expected,
    ]
    assert stream.skipped == 0


def test_log_lines_between_objects_are_skipped_and_counted() -> None:
    """Text that cannot start an object is skipped up to the next "{" and counted."""
    stream = JsonObjectStream()
    log = "Started config rawtty on /dev/ttyUSB0 listening on c1\n"
    values = feed_all(
        stream,
        [log, compact(MULTICAL21.expected), "(meter) received [1, 2] 3\n", WRONG_KEY_OUTPUT_2_0_0],
    )

    assert values == [MULTICAL21.expected, WRONG_KEY_OBJECT]
    garbage = log + "(meter) received [1, 2] 3\n"
    assert stream.skipped == sum(not char.isspace() for char in garbage)


@pytest.mark.parametrize(
    "broken",
    [
        "{config hextty}\n",  # a log line with braces
        '{"total_m3": tx}\n',  # not a literal
        '{"total_m3": 6.408 "status": "OK"}\n',  # a missing comma
        '{"name": "line break inside\n',  # a string that a newline ends
        '{"telegram": "\\uZZZZ"}\n',  # a broken escape
    ],
    ids=["braces", "literal", "comma", "string", "escape"],
)
def test_a_broken_object_does_not_hold_up_the_next(broken: str) -> None:
    """An object that cannot become valid is skipped; the good objects around it come out."""
    stream = JsonObjectStream()

    values = feed_all(stream, [compact(QUALCOSONIC.expected), broken, compact(MULTICAL21.expected)])

    assert values == [QUALCOSONIC.expected, MULTICAL21.expected]
    assert stream.skipped > 0


def test_deep_nesting_inside_a_value_is_skipped() -> None:
    """Arrays nested past the decoder's recursion limit are skipped, not raised."""
    stream = JsonObjectStream()
    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\n"

    assert stream.feed(deep + compact(MULTICAL21.expected)) == [MULTICAL21.expected]
    assert stream.skipped > 0


def test_an_unfinished_object_waits_for_the_rest() -> None:
    """A value cut in a literal, a number or an escape is kept, not taken for broken."""
    stream = JsonObjectStream()

    assert stream.feed('{"ok": tr') == []
    assert stream.feed('ue, "m3": 6.') == []
    assert stream.feed("408e") == []
    assert stream.feed('0, "n": "\\u00') == []
    assert stream.feed('e9"}') == [{"ok": True, "m3": 6.408, "n": "é"}]
    assert stream.skipped == 0


def test_an_overlong_unfinished_value_is_dropped() -> None:
    """The buffer cap: an unfinished value longer than it is dropped and counted."""
    stream = JsonObjectStream(max_buffer=1000)

    assert stream.feed('{"telegram":"' + "A" * 600) == []
    assert stream.skipped == 0
    assert stream.feed("B" * 600) == []
    assert stream.skipped == 13 + 1200

    # The rest of the dropped value is garbage up to the next object.
    assert stream.feed('CCCC"}\n' + compact(MULTICAL21.expected)) == [MULTICAL21.expected]
    assert stream.skipped == 13 + 1200 + 6


def test_a_complete_value_longer_than_the_cap_is_kept() -> None:
    """The cap bounds what is waiting, not what arrives complete."""
    stream = JsonObjectStream(max_buffer=100)
    big = {"telegram": "A" * 500}

    assert stream.feed(compact(big)) == [big]
    assert stream.skipped == 0
