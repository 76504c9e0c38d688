"""One telegram as wmbusmeters prints it in JSON, in a form that does not depend on its version.

wmbusmeters prints `{"_":"telegram","media":...,"meter":<driver>,"name":...,"id":<8 digits>,
<fields>...,"timestamp":<UTC>}` plus `device`/`rssi_dbm` from a radio, and `error`/`telegram`
when it cannot decrypt. Fields the telegram does not carry are absent. 3.x renamed some
drivers and fields; they are mapped back to 2.0.0's names here, so the layers above see one set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import math
import re
from types import MappingProxyType

from .drivers import canonical_driver
from .not_sent import is_not_sent
from .units import field_unit

# The keys around the meter's own fields. `stdin:jsonl` decoding (2.0.0, seen by running it)
# adds "warning": "telegram only partially decoded (23 of 29 bytes)" and the telegram's hex
# when the driver leaves bytes unread: a remark on the decoding, not a field of the meter.
ENVELOPE_KEYS = frozenset(
    {
        *("_", "media", "meter", "name", "id", "timestamp"),
        *("device", "rssi_dbm", "error", "telegram", "warning"),
    }
)
NOT_WHITESPACE = re.compile(r"\S")
METER_ID = re.compile(r"[0-9]{8}")
METER_ID_MAX = 99_999_999
# wmbusmeters stamps a telegram it cannot decrypt with the epoch.
EPOCH_YEAR = 1970

# 2.0.0 field name -> the names 3.x prints it under (preferred first), for every driver and
# per (canonical) driver.
RENAMED_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"device_date_time": ("device_datetime",)}
)
RENAMED_DRIVER_FIELDS: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "multical21": {
            "external_temperature_c": (
                "min_external_temperature_last_month_c",
                "min_external_temperature_last_day_c",
            ),
        },
        "flowiq2200": {
            "min_external_temperature_c": (
                "min_external_temperature_last_month_c",
                "min_external_temperature_last_day_c",
            ),
        },
    }
)


class TelegramError(ValueError):
    """A JSON value that is not a usable wmbusmeters telegram."""

    reason: str

    def __init__(self, reason: str, detail: str = "") -> None:
        """Reason is "not_object", "not_telegram" or "bad_id"; detail says what was found."""
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class WmbusTelegram:
    """A decoded telegram of one meter, with 2.0.0's driver and field names.

    `timestamp` is when wmbusmeters received it (UTC); `values` holds the numeric fields and
    `texts` the text fields, both without the envelope keys.
    """

    meter_id: str
    driver: str
    media: str
    timestamp: datetime | None
    values: Mapping[str, float]
    texts: Mapping[str, str]
    rssi_dbm: float | None
    error: str | None

    @property
    def decryption_failed(self) -> bool:
        """Whether wmbusmeters could not read the telegram (most often: a wrong AES key)."""
        return self.error is not None or (
            self.timestamp is not None and self.timestamp.year == EPOCH_YEAR
        )


def parse_telegram(obj: object) -> WmbusTelegram:
    """The telegram a JSON value holds; raises TelegramError when it holds none."""
    if not isinstance(obj, dict):
        raise TelegramError("not_object", type(obj).__name__)
    kind = obj.get("_", "telegram")
    if kind != "telegram":
        raise TelegramError("not_telegram", f'"_" is {kind!r}')
    printed_driver = obj.get("meter")
    if not isinstance(printed_driver, str) or not printed_driver:
        raise TelegramError("not_telegram", "no meter (driver)")
    meter_id = _meter_id(obj.get("id"))
    fields = {key: value for key, value in obj.items() if key not in ENVELOPE_KEYS}
    driver = canonical_driver(printed_driver, fields)
    fields = _canonical_fields(driver, fields)
    error = obj.get("error")
    return WmbusTelegram(
        meter_id=meter_id,
        driver=driver,
        media=_text(obj.get("media")) or "",
        timestamp=_timestamp(obj.get("timestamp")),
        values=MappingProxyType(
            {
                key: number
                for key, value in fields.items()
                if (number := _number(value)) is not None and not is_not_sent(driver, key, number)
            }
        ),
        # A text under a field named by its unit is a bad field, skipped: it is no number.
        texts=MappingProxyType(
            {
                key: value
                for key, value in fields.items()
                if isinstance(value, str) and field_unit(key) is None
            }
        ),
        rssi_dbm=_number(obj.get("rssi_dbm")),
        error=error if isinstance(error, str) and error else None,
    )


def parse_body(text: str) -> list[object]:
    """The JSON values in a request body or stream chunk, in order.

    The text is one object, an array of objects (its items are returned), or several of
    either one after another with any whitespace between: compact lines as 3.x prints them,
    or the multi-line objects 2.0.0 prints for `stdin:jsonl`. Whitespace alone gives [].
    Array items are returned as they are, for parse_telegram to judge one by one.
    Raises ValueError (json.JSONDecodeError is one) when the text is not that.
    """
    decoder = json.JSONDecoder()
    values: list[object] = []
    position = 0
    while (start := NOT_WHITESPACE.search(text, position)) is not None:
        try:
            value, position = decoder.raw_decode(text, start.start())
        except RecursionError as err:
            raise ValueError("JSON nested too deeply") from err
        if isinstance(value, list):
            values.extend(value)
        elif isinstance(value, dict):
            values.append(value)
        else:
            msg = f"a JSON {type(value).__name__} where an object or array was expected"
            raise ValueError(msg)
    return values


def _meter_id(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= METER_ID_MAX:
        return f"{value:08d}"
    if isinstance(value, str) and METER_ID.fullmatch(value):
        return value
    raise TelegramError("bad_id", repr(value))


def _canonical_fields(driver: str, fields: dict[str, object]) -> dict[str, object]:
    canonical = dict(fields)
    renames = {**RENAMED_FIELDS, **RENAMED_DRIVER_FIELDS.get(driver, {})}
    for name, sources in renames.items():
        source = next((source for source in sources if source in canonical), None)
        # A field printed under its 2.0.0 name is kept; an unused 3.x name stays as it is.
        if source is not None and name not in canonical:
            canonical[name] = canonical.pop(source)
    return canonical


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # JSON integers have no limit
        return None
    return number if math.isfinite(number) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    # wmbusmeters writes UTC ("...Z"); a stamp without an offset is taken to be UTC too.
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
