"""The verdict per category and overall, the validation date, and the grace period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.benext.domain.validation.findings import (
    CATEGORY_OF,
    Category,
    Finding,
    FindingCode,
    finding,
)
from custom_components.benext.domain.validation.grace import (
    GRACE_PERIOD,
    due_findings,
    first_seen,
    is_due,
)
from custom_components.benext.domain.validation.verdict import (
    REQUIRED_UNINTERRUPTED_DATA,
    Validation,
    Verdict,
    passing_since,
    validation_date,
)

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MISSING_PV = finding(FindingCode.ROLE_MISSING, subject="pv", role="pv")
OFFLINE = finding(FindingCode.BUS_OFFLINE, subject="modbus", bus="modbus")
SWAPPED = finding(FindingCode.HEAT_PUMP_VENTILATION_SWAPPED, "hp", "vent")


def test_every_code_has_a_category() -> None:
    assert set(CATEGORY_OF) == set(FindingCode)
    assert {code.category for code in FindingCode} == set(Category)


@pytest.mark.parametrize(
    ("findings", "pending", "verdicts", "overall"),
    [
        ((), set(), {}, Verdict.PASSED),
        ((), {Category.DATA_CORRECTNESS}, {Category.DATA_CORRECTNESS: Verdict.PENDING}, "pending"),
        ((MISSING_PV,), set(), {Category.CONFIGURATION: Verdict.FAILED}, "failed"),
        (
            (OFFLINE, SWAPPED),
            {Category.DATA_CORRECTNESS},
            {
                Category.REACHABILITY: Verdict.FAILED,
                Category.COMMON_FAULT: Verdict.FAILED,
                Category.DATA_CORRECTNESS: Verdict.PENDING,
            },
            "failed",
        ),
        # A finding outweighs pending in its own category.
        ((OFFLINE,), {Category.REACHABILITY}, {Category.REACHABILITY: Verdict.FAILED}, "failed"),
    ],
)
def test_verdicts(
    findings: tuple[Finding, ...],
    pending: set[Category],
    verdicts: dict[Category, Verdict],
    overall: str,
) -> None:
    """Every category not named in `verdicts` passes."""
    validation = Validation(findings, frozenset(pending))
    assert validation.verdicts == {c: verdicts.get(c, Verdict.PASSED) for c in Category}
    assert validation.overall == overall


def test_issue_ids_are_stable_and_distinct() -> None:
    assert MISSING_PV.issue_id == "role_missing_pv"
    assert OFFLINE.issue_id == "bus_offline_modbus"
    assert SWAPPED.issue_id == "heat_pump_ventilation_swapped_hp_vent"
    assert finding(FindingCode.WRONG_AES_KEY, "m1").issue_id == "wrong_aes_key_m1"
    assert MISSING_PV.translation_placeholders == {"role": "pv"}


def test_placeholders_keep_a_finding_hashable_and_order_free() -> None:
    a = finding(FindingCode.MODBUS_ADDRESS_WRONG, "m", address="3", found_address="7")
    b = finding(FindingCode.MODBUS_ADDRESS_WRONG, "m", found_address="7", address="3")
    assert a == b
    assert len({a, b}) == 1


@pytest.mark.parametrize(
    ("passing", "uninterrupted", "expected"),
    [
        (None, NOW - 20 * DAY, None),
        (NOW - 20 * DAY, None, None),
        # 14 days of data, passing throughout: the day the 14th day was complete.
        (NOW - 20 * DAY, NOW - 20 * DAY, NOW - 6 * DAY),
        # Passing only since 3 days, on 20 days of data: from then.
        (NOW - 3 * DAY, NOW - 20 * DAY, NOW - 3 * DAY),
        # Exactly 14 days of data now.
        (NOW - 20 * DAY, NOW - REQUIRED_UNINTERRUPTED_DATA, NOW),
        # 13 days of data: not yet.
        (NOW - 20 * DAY, NOW - 13 * DAY, None),
    ],
)
def test_validation_date(
    passing: datetime | None, uninterrupted: datetime | None, expected: datetime | None
) -> None:
    assert validation_date(passing, uninterrupted, NOW) == expected


def test_passing_since() -> None:
    assert passing_since(None, Verdict.PASSED, NOW) == NOW
    assert passing_since(NOW - DAY, Verdict.PASSED, NOW) == NOW - DAY
    assert passing_since(NOW - DAY, Verdict.FAILED, NOW) is None
    assert passing_since(NOW - DAY, Verdict.PENDING, NOW) is None


def test_grace_period() -> None:
    assert not is_due(NOW, NOW)
    assert not is_due(NOW - GRACE_PERIOD + timedelta(seconds=1), NOW)
    assert is_due(NOW - GRACE_PERIOD, NOW)


def test_first_seen_and_due_findings() -> None:
    earlier = NOW - 2 * GRACE_PERIOD
    seen = first_seen({OFFLINE.issue_id: earlier, "cleared": earlier}, [OFFLINE, SWAPPED], NOW)
    assert seen == {OFFLINE.issue_id: earlier, SWAPPED.issue_id: NOW}
    assert due_findings(seen, [OFFLINE, SWAPPED], NOW) == [OFFLINE]
    assert due_findings(seen, [OFFLINE, SWAPPED], NOW + GRACE_PERIOD) == [OFFLINE, SWAPPED]
    assert due_findings({}, [OFFLINE], NOW) == []


def test_a_configuration_finding_shows_at_once() -> None:
    """A missing role cannot flap: it is due the moment it is first seen."""
    seen = first_seen({}, [MISSING_PV, OFFLINE], NOW)
    assert due_findings(seen, [MISSING_PV, OFFLINE], NOW) == [MISSING_PV]
