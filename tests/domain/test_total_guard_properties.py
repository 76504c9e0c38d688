"""Property: whatever glitches a meter or its line inserts, a total shows only the truth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings, strategies as st

from custom_components.benext.domain.total_guard import FLOAT32_MAX, TotalGuard

START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
BOUND = 55.2  # kWh an hour: a 3x80A connection

# A glitch: its kind, and a size where the kind has one.
glitch = st.tuples(
    st.sampled_from(["zero", "nan", "inf", "float32_max", "negative", "spike", "drop"]),
    st.floats(min_value=0.001, max_value=1e6),
)
step = st.tuples(
    st.floats(min_value=0.0, max_value=0.9),  # kWh since the last reading: plausible
    st.integers(min_value=1, max_value=60),  # seconds since the last reading
    st.lists(glitch, max_size=3),  # glitches before it
    st.booleans(),  # a restart after it
)


def glitched(truth: float, kind: str, size: float) -> float:
    """What the line delivers instead of `truth`."""
    return {
        "zero": 0.0,
        "nan": float("nan"),
        "inf": float("inf"),
        "float32_max": FLOAT32_MAX,
        "negative": -size,
        # Beyond what the connection can count in a minute and a half.
        "spike": truth + BOUND / 40 + size,
        "drop": max(truth - size, 0.0),
    }[kind]


@settings(max_examples=300, deadline=None)
@given(start=st.floats(min_value=0.0, max_value=1e6), steps=st.lists(step, max_size=40))
def test_glitches_never_reach_a_total(
    start: float, steps: list[tuple[float, int, list[tuple[str, float]], bool]]
) -> None:
    """The shown total never decreases, never exceeds the truth, and is the truth after it."""
    guard = TotalGuard(max_rise_per_hour=BOUND)
    at = START
    truth = start
    assert guard.check(truth, at) is None
    shown = guard.last
    for rise, seconds, glitches, restart in steps:
        for kind, size in glitches:
            guard.check(glitched(truth, kind, size), at + timedelta(seconds=1))
            assert guard.last is not None
            assert guard.last >= shown  # never decreases
            assert guard.last <= truth  # never beyond the truth
            shown = guard.last
        at += timedelta(seconds=seconds)
        truth += rise
        assert guard.check(truth, at) is None
        assert guard.last == truth  # back to the truth once the glitch has passed
        shown = truth
        if restart:
            # What a restart restores: the last good value and when it was good.
            guard = TotalGuard(last=guard.last, last_at=guard.last_at, max_rise_per_hour=BOUND)
