"""Trending: HOT by engagement over the last 24 hours, RISING by growth against the 24 hours before.

Engagement is counted in distinct viewers (or client IPs) per item per hour, so these rules read
hourly counts, never raw events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

WINDOW_HOURS = 24
MIN_RISING_BASE = 3
"""RISING lists only items with at least 3 engagements in the last 24 hours, so that 0 -> 1 (growth
1.0) cannot top the list; below that base a growth figure says nothing."""


class TrendKind(StrEnum):
    HOT = "HOT"
    RISING = "RISING"


@dataclass(frozen=True)
class HourCount:
    key: str
    hour: int
    count: int


@dataclass(frozen=True)
class Trend:
    key: str
    score: float
    growth: float | None


def windows(counts: Iterable[HourCount], now_hour: int) -> dict[str, tuple[int, int]]:
    """(this 24 h, previous 24 h) per item; the current hour belongs to this window."""
    sums: dict[str, tuple[int, int]] = {}
    for c in counts:
        age = now_hour - c.hour
        this, previous = sums.get(c.key, (0, 0))
        if 0 <= age < WINDOW_HOURS:
            this += c.count
        elif WINDOW_HOURS <= age < 2 * WINDOW_HOURS:
            previous += c.count
        sums[c.key] = (this, previous)
    return sums


def growth(this: int, previous: int) -> float:
    return (this - previous) / max(previous, 1)


def trending(counts: Iterable[HourCount], now_hour: int, kind: TrendKind, first: int) -> list[Trend]:
    """HOT: most engagement first. RISING: fastest growth first, above the minimum base."""
    sums = windows(counts, now_hour)
    if kind is TrendKind.HOT:
        hot = [Trend(key, float(this), None) for key, (this, _) in sums.items() if this > 0]
        return sorted(hot, key=lambda t: (-t.score, t.key))[:first]
    rising = [
        Trend(key, float(this), growth(this, previous))
        for key, (this, previous) in sums.items()
        if this >= MIN_RISING_BASE and this > previous
    ]
    return sorted(rising, key=lambda t: (-(t.growth or 0.0), -t.score, t.key))[:first]
