"""Split the text that wmbusmeters prints into JSON objects, whatever its line layout."""

from __future__ import annotations

import json
import re

# The tokens a valid object can be cut in the middle of, after the decoder's error position:
# a literal (Python's decoder also reads NaN and the infinities) or the rest of a number whose
# digits were matched up to a "." or an exponent.
_TOKENS = (
    "true",
    "false",
    "null",
    "NaN",
    "Infinity",
    "-Infinity",
    ".0",
    "e+0",
    "e-0",
    "E+0",
    "E-0",
)
# A "\uXXXX" escape cut short: the decoder reports its position at the "u".
_CUT_ESCAPE = re.compile(r"u[0-9a-fA-F]{0,4}")


def _is_cut_short(text: str, error: json.JSONDecodeError) -> bool:
    """Whether `text` failed only because it ends too early: more text could make it valid."""
    if error.msg.startswith("Unterminated string"):
        return True
    tail = text[error.pos :]
    if error.msg.startswith("Invalid \\uXXXX escape"):
        return _CUT_ESCAPE.fullmatch(tail) is not None
    return any(len(tail) < len(token) and token.startswith(tail) for token in _TOKENS)


class JsonObjectStream:
    """Splits a text stream into top-level JSON values.

    wmbusmeters 2.0.0 pretty-prints each result over several lines when reading stdin; 3.x
    prints one compact line: this is a stream of objects, not of lines. Text that cannot
    start a JSON object (log lines, garbage) is skipped up to the next "{" and counted; an
    object that cannot become valid is skipped from its "{" on; an unfinished value longer
    than `max_buffer` characters is dropped rather than kept growing.
    """

    def __init__(self, max_buffer: int = 1_048_576) -> None:
        """A stream that holds at most `max_buffer` characters of an unfinished value."""
        self._decoder = json.JSONDecoder()
        self._max_buffer = max_buffer
        self._buffer = ""
        self._skipped = 0
        # The buffer holds the start of an object that needs more text, which can only
        # become complete once a "}" arrives.
        self._waiting = False

    @property
    def skipped(self) -> int:
        """Characters skipped so far (garbage, broken objects, dropped overlong values).

        Whitespace does not count, so the line breaks between values are not "skipped".
        """
        return self._skipped

    def feed(self, text: str) -> list[object]:
        """The values completed by `text`, in order; an incomplete tail is kept for later."""
        self._buffer += text
        values: list[object] = []
        if not self._waiting or "}" in text:
            self._waiting = False
            while self._buffer and not self._waiting:
                self._take_next(values)
        if len(self._buffer) > self._max_buffer:
            self._skip(len(self._buffer))
            self._waiting = False
        return values

    def _take_next(self, values: list[object]) -> None:
        """Decode the value at the next "{", skip what precedes it, or mark the tail waiting."""
        start = self._buffer.find("{")
        if start == -1:
            self._skip(len(self._buffer))
            return
        self._skip(start)
        try:
            value, end = self._decoder.raw_decode(self._buffer)
        except json.JSONDecodeError as error:
            if _is_cut_short(self._buffer, error):
                self._waiting = True
            else:
                self._skip(1)  # the "{" of a broken object: look for the next one
            return
        except RecursionError:
            self._skip(1)  # nested deeper than the decoder goes: not wmbusmeters output
            return
        values.append(value)
        self._buffer = self._buffer[end:]

    def _skip(self, count: int) -> None:
        skipped = self._buffer[:count]
        self._skipped += len(skipped) - sum(char.isspace() for char in skipped)
        self._buffer = self._buffer[count:]
