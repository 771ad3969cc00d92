"""Interests: what the ranking believes a buyer cares about, as weights in [0, 1] summing to 1."""

from __future__ import annotations

from collections.abc import Mapping


def normalized(weights: Mapping[str, float]) -> list[tuple[str, float]]:
    """Positive weights scaled to sum to 1, heaviest first (ties by key, so the order is stable)."""
    positive = {key: weight for key, weight in weights.items() if weight > 0}
    total = sum(positive.values())
    if total <= 0:
        return []
    return sorted(((key, weight / total) for key, weight in positive.items()), key=lambda kv: (-kv[1], kv[0]))


HALF_LIFE_MS = 14 * 24 * 3600 * 1000
RECENT_EVENTS = 20

# How much each kind of engagement says about a buyer's interest (impressions say little).
SIGNAL_WEIGHTS: dict[str, float] = {
    "IMPRESSION": 0.05,
    "VIEW": 1.0,
    "DWELL": 1.0,
    "SAVE": 3.0,
    "UNSAVE": -2.0,
    "SHARE": 2.0,
    "INQUIRE": 4.0,
    "VIDEO_PLAY": 1.5,
    "FOLLOW": 3.0,
}
ENGAGEMENT_KINDS = frozenset({"VIEW", "DWELL", "SAVE", "INQUIRE", "VIDEO_PLAY"})


def decayed(weight: float, since_ms: int) -> float:
    """Exponential decay with a two-week half-life."""
    return weight * float(0.5 ** (max(since_ms, 0) / HALF_LIFE_MS))


def apply_signal(weights: Mapping[str, float], key: str, kind: str, elapsed_ms: int) -> dict[str, float]:
    """Weights decayed by the time since the last update, then moved by one signal (never below 0)."""
    updated = {k: decayed(w, elapsed_ms) for k, w in weights.items()}
    updated[key] = max(0.0, updated.get(key, 0.0) + SIGNAL_WEIGHTS.get(kind, 0.0))
    return {k: w for k, w in updated.items() if w > 1e-6}
