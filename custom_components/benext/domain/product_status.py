"""The per-product tick of the BeNext portal: data arrives, reads zero, or no data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum


class ProductStatus(StrEnum):
    """One of BeNext's three ticks for a meter or sensor."""

    OK = "ok"
    # Data arrives but reads 0: "switch on what is measured".
    READS_ZERO = "reads_zero"
    # No data: "check the wiring, or the serial number of a wireless product".
    NO_DATA = "no_data"


def product_status(
    last_reading: datetime | None,
    now: datetime,
    max_age: timedelta,
    main_values: Iterable[float | None],
) -> ProductStatus:
    """The tick for a product whose last reading came at `last_reading`.

    `main_values` are the quantities that show the product is in use (energy totals,
    volume, temperature); a product whose values are all zero reads zero.
    """
    if last_reading is None or now - last_reading > max_age:
        return ProductStatus.NO_DATA
    return values_status(main_values)


def values_status(main_values: Iterable[float | None]) -> ProductStatus:
    """The tick for a product's current values: no data when none is known, zero when all are."""
    values = [value for value in main_values if value is not None]
    if not values:
        return ProductStatus.NO_DATA
    if all(value == 0 for value in values):
        return ProductStatus.READS_ZERO
    return ProductStatus.OK
