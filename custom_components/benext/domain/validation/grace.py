"""How long a finding must last before it is shown, so a repair issue does not flap."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Final

from .findings import Category, Finding

# Longer than a push bus may stay silent (20 min) and a wireless meter may go unheard
# (45 min) before either is shown down, so one missed telegram or a restart raises nothing.
GRACE_PERIOD: Final = timedelta(hours=1)
# Findings of the installation's set-up change only when the installer changes it: they
# cannot flap, and show at once.
WITHOUT_GRACE: Final = frozenset({Category.CONFIGURATION})


def is_due(first_seen: datetime, now: datetime) -> bool:
    """Whether a finding first seen at `first_seen` has lasted the grace period by `now`."""
    return now - first_seen >= GRACE_PERIOD


def first_seen(
    previous: Mapping[str, datetime], findings: Iterable[Finding], now: datetime
) -> dict[str, datetime]:
    """When each current finding (by issue id) was first seen; a cleared one is forgotten."""
    return {found.issue_id: previous.get(found.issue_id, now) for found in findings}


def due_findings(
    seen: Mapping[str, datetime], findings: Iterable[Finding], now: datetime
) -> list[Finding]:
    """The findings that have lasted the grace period, by the first sightings in `seen`."""
    return [
        found
        for found in findings
        if found.category in WITHOUT_GRACE
        or (found.issue_id in seen and is_due(seen[found.issue_id], now))
    ]
