"""Run every check on a snapshot of the home."""

from __future__ import annotations

from .configuration import check_configuration
from .correctness import check_correctness, correctness_pending
from .findings import Category, Finding
from .forwarded import check_forwarded, forwarded_pending
from .meter_faults import check_meter_faults
from .modbus_address import check_modbus_addresses
from .reachability import check_reachability, reachability_pending
from .snapshot import HomeSnapshot
from .swaps import check_swaps
from .verdict import Validation

_CATEGORY_ORDER = {category: index for index, category in enumerate(Category)}


def validate(home: HomeSnapshot) -> Validation:
    """Every finding, sorted by category, code and subject, and what is still pending."""
    findings = [
        *check_reachability(home),
        *check_forwarded(home),
        *check_configuration(home),
        *check_correctness(home),
        *check_swaps(home),
        *check_modbus_addresses(home),
        *check_meter_faults(home),
    ]
    pending = {
        category
        for category, waiting in (
            (Category.REACHABILITY, reachability_pending(home)),
            (Category.VALUES_FORWARDED, forwarded_pending(home)),
            (Category.DATA_CORRECTNESS, correctness_pending(home)),
        )
        if waiting
    }
    return Validation(tuple(sorted(findings, key=_order)), frozenset(pending))


def _order(found: Finding) -> tuple[int, str, str, tuple[str, ...]]:
    return (_CATEGORY_ORDER[found.category], found.code, found.subject, found.meter_ids)
