"""The smart meter's rejected-telegram rate over the last hour."""

from __future__ import annotations

from custom_components.benext.domain.error_rate import ErrorRate
from custom_components.benext.domain.write_limiter import WriteLimiter


def test_rate_of_the_last_hour_only() -> None:
    """Rejections older than an hour no longer count."""
    rate = ErrorRate()
    assert rate.percent(0) is None
    rate.count(0, rejected=True)
    rate.count(1, rejected=False)
    assert rate.percent(1) == 50.0
    for second in range(3600, 3604):
        rate.count(second, rejected=False)
    assert rate.percent(3603) == 0.0


def test_limiter_writes_changes_when_due() -> None:
    """Unchanged values never; changed ones once their interval has passed."""
    limiter = WriteLimiter()
    assert limiter.due("total", 1.0, 0, 10)
    assert not limiter.due("total", 1.0, 20, 10)
    assert not limiter.due("total", 2.0, 5, 10)
    assert limiter.due("total", 2.0, 10, 10)
    limiter.forget()
    assert limiter.due("total", 2.0, 11, 10)
