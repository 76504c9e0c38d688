"""BeNext's per-product tick and the installation's overall status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.benext.domain.hub_status import BusCondition, HubStatus, hub_status
from custom_components.benext.domain.product_status import ProductStatus, product_status

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
MAX_AGE = timedelta(minutes=2)


@pytest.mark.parametrize(
    ("last_reading", "values", "expected"),
    [
        (NOW - timedelta(seconds=30), (1520.3, 12.0), ProductStatus.OK),
        (NOW - timedelta(seconds=30), (0.0, 12.0), ProductStatus.OK),
        (NOW - timedelta(seconds=30), (0.0, 0.0), ProductStatus.READS_ZERO),
        (NOW - timedelta(seconds=30), (0.0, None), ProductStatus.READS_ZERO),
        (NOW - timedelta(seconds=30), (None,), ProductStatus.NO_DATA),
        (NOW - timedelta(minutes=3), (1520.3,), ProductStatus.NO_DATA),
        (None, (1520.3,), ProductStatus.NO_DATA),
    ],
)
def test_product_status(
    last_reading: datetime | None, values: tuple[float | None, ...], expected: ProductStatus
) -> None:
    """Data arrives, reads zero ("switch on what is measured"), or no data."""
    assert product_status(last_reading, NOW, MAX_AGE, values) is expected


UP, WAITING, DOWN = BusCondition.UP, BusCondition.WAITING, BusCondition.DOWN


@pytest.mark.parametrize(
    ("buses", "expected"),
    [
        ([UP, UP, UP], HubStatus.OK),
        ([UP, WAITING], HubStatus.WAITING),
        ([WAITING], HubStatus.WAITING),
        ([UP, DOWN], HubStatus.DEGRADED),
        ([WAITING, DOWN], HubStatus.DEGRADED),
        ([DOWN, DOWN], HubStatus.OFFLINE),
        ([], HubStatus.OFFLINE),
    ],
)
def test_hub_status(buses: list[BusCondition], expected: HubStatus) -> None:
    """All buses up, one still to be heard from, some down, or none reachable."""
    assert hub_status(buses) is expected
