"""Feed ranking: scores candidates for one buyer, then arranges them under the diversity rules.

Pure: the service gathers candidates, interests, follows and engagement; this module decides.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.feeds import FeedItem, ItemKind, ReasonCode

DAY_MS = 24 * 3600 * 1000
FRESH_HALF_LIFE_DAYS = 7.0
FOLLOWED_NEW_DAYS = 14
SUPPLIER_SPACING = 4
"""A supplier appears at most once in any 4 consecutive edges: never twice in a row, and at most
ceil(n / 4) times in any n consecutive edges, whatever page size or page boundary a client uses."""
DOMINANT_MIN_EVENTS = 3
EXPLORE_EVERY = 6
EDITORIAL_EVERY = 10


@dataclass(frozen=True)
class Candidate:
    kind: ItemKind
    key: str
    vertical_keys: tuple[str, ...]
    supplier_key: str | None
    created_at: int
    popularity: float


@dataclass(frozen=True)
class SupplierQuality:
    verified: bool
    service_index: int
    trade_assurance: bool

    @property
    def score(self) -> float:
        """0 to 1: the service index counts most, then verification, then trade assurance."""
        return 0.6 * self.service_index / 100 + 0.25 * self.verified + 0.15 * self.trade_assurance


@dataclass(frozen=True)
class Profile:
    """What the ranking knows of the viewer; empty for anonymous and new buyers."""

    vertical_weights: Mapping[str, float] = field(default_factory=dict)
    supplier_weights: Mapping[str, float] = field(default_factory=dict)
    recent: Sequence[str] = ()
    followed: frozenset[str] = frozenset()

    @property
    def personal(self) -> bool:
        return bool(self.vertical_weights)


@dataclass(frozen=True)
class Signals:
    """What the rest of the platform knows: engagement of the last 24 h and supplier quality."""

    now: int
    hot: Mapping[str, float] = field(default_factory=dict)
    rising: frozenset[str] = frozenset()
    quality: Mapping[str, SupplierQuality] = field(default_factory=dict)
    seed: str = ""


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    reason: ReasonCode
    affinity: float


@dataclass(frozen=True)
class Placed:
    """An item already in the snapshot, as far as arranging the next ones needs to know."""

    supplier_key: str | None
    vertical_keys: tuple[str, ...]


def dominant_vertical(recent: Sequence[str]) -> str | None:
    """The vertical of half or more of the last 20 engagement events, if any."""
    if len(recent) < DOMINANT_MIN_EVENTS:
        return None
    counts: dict[str, int] = {}
    for key in recent:
        counts[key] = counts.get(key, 0) + 1
    top, count = max(sorted(counts.items()), key=lambda kv: kv[1])
    return top if count * 2 >= len(recent) else None


def freshness(created_at: int, now: int) -> float:
    return float(0.5 ** (max(now - created_at, 0) / DAY_MS / FRESH_HALF_LIFE_DAYS))


def _jitter(seed: str, key: str) -> float:
    """A stable small number per viewer and item, so ties break differently for different buyers."""
    digest = hashlib.blake2b(f"{seed}|{key}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") / 2**32


def score_all(candidates: Sequence[Candidate], profile: Profile, signals: Signals) -> list[Scored]:
    """Best first: interest affinity, freshness, popularity and supplier quality, blended."""
    pops = {c.key: math.log1p(max(c.popularity, 0.0) + 3 * signals.hot.get(c.key, 0.0)) for c in candidates}
    top_pop = max(pops.values(), default=0.0) or 1.0
    top_supplier = max(profile.supplier_weights.values(), default=0.0) or 1.0
    scored = [_score(c, pops[c.key] / top_pop, top_supplier, profile, signals) for c in candidates]
    return sorted(scored, key=lambda s: (-s.score, s.candidate.key))


def _score(c: Candidate, pop: float, top_supplier: float, profile: Profile, signals: Signals) -> Scored:
    vertical = max((profile.vertical_weights.get(v, 0.0) for v in c.vertical_keys), default=0.0)
    supplier = profile.supplier_weights.get(c.supplier_key or "", 0.0) / top_supplier
    affinity = min(1.0, vertical + 0.3 * supplier)
    fresh = freshness(c.created_at, signals.now)
    quality = signals.quality.get(c.supplier_key or "")
    good = quality.score if quality is not None else 0.5
    followed = (
        c.kind is ItemKind.PRODUCT
        and c.supplier_key in profile.followed
        and signals.now - c.created_at <= FOLLOWED_NEW_DAYS * DAY_MS
    )
    parts = {
        ReasonCode.INTEREST: 3.0 * affinity if profile.personal else 0.0,
        ReasonCode.NEW: (1.0 if profile.personal else 1.5) * fresh,
        ReasonCode.TRENDING: (1.0 if profile.personal else 1.5) * pop,
    }
    total = (
        sum(parts.values()) + 0.5 * good + 0.05 * _jitter(signals.seed, c.key) + (1.5 if followed else 0.0)
    )
    return Scored(c, total, _reason(c, parts, followed, signals), affinity)


def _reason(c: Candidate, parts: Mapping[ReasonCode, float], followed: bool, signals: Signals) -> ReasonCode:
    if followed:
        return ReasonCode.FOLLOWED
    main = max(parts, key=lambda code: parts[code])
    if main is ReasonCode.INTEREST and parts[main] > 0:
        return ReasonCode.INTEREST
    if c.kind is ItemKind.ARTICLE:
        return ReasonCode.EDITORIAL
    if c.key in signals.rising:
        return ReasonCode.RISING
    if main is ReasonCode.TRENDING and signals.hot.get(c.key, 0.0) > 0:
        return ReasonCode.TRENDING
    return ReasonCode.NEW if main is ReasonCode.NEW else ReasonCode.TRENDING


def arrange(
    scored: Sequence[Scored],
    profile: Profile,
    signals: Signals,
    vertical: str | None,
    placed: Sequence[Placed] = (),
    count: int | None = None,
) -> list[FeedItem]:
    """Up to `count` items (all by default), continuing a snapshot that already holds `placed`.

    Slots alternate by rule: when one vertical holds half of the buyer's recent engagement (and no
    vertical was asked for), even slots go to it and odd ones to other verticals in turn; every
    tenth slot from the fourth on is an article (the newest of the last day first), and articles take
    no other slot while anything else is left; every sixth, for
    buyers with interests, explores a vertical outside their top three. Suppliers are spaced out.
    """
    pool = list(scored)
    history = list(placed)
    dominant = dominant_vertical(profile.recent) if vertical is None and profile.personal else None
    top = {key for key, _ in sorted(profile.vertical_weights.items(), key=lambda kv: -kv[1])[:3]}
    wanted = len(pool) if count is None else count
    chosen: list[FeedItem] = []
    while pool and len(chosen) < wanted:
        slot = len(history)
        kind = _slot_kind(slot, dominant, profile)
        index = _pick(pool, history, kind, dominant, top, signals.now)
        item = pool.pop(index)
        reason = ReasonCode.EXPLORE if kind == "explore" and not _in(item, top) else item.reason
        chosen.append(FeedItem(item.candidate.kind, item.candidate.key, reason))
        history.append(Placed(item.candidate.supplier_key, item.candidate.vertical_keys))
    return chosen


def _slot_kind(slot: int, dominant: str | None, profile: Profile) -> str:
    if slot % EDITORIAL_EVERY == 3:
        return "editorial"
    if dominant is not None and slot % 2 == 0:
        return "dominant"
    if profile.personal and slot % EXPLORE_EVERY == 5:
        return "explore"
    return "other" if dominant is not None else "any"


def _in(item: Scored, verticals: set[str] | frozenset[str]) -> bool:
    return any(v in verticals for v in item.candidate.vertical_keys)


def _fits(item: Scored, kind: str, dominant: str | None, top: set[str]) -> bool:
    if kind == "editorial":
        return item.candidate.kind is ItemKind.ARTICLE
    if item.candidate.kind is ItemKind.ARTICLE:
        # Articles keep to their slots, so a burst of publishing cannot crowd products out.
        return False
    if kind == "dominant":
        return dominant in item.candidate.vertical_keys
    if kind == "explore":
        return not _in(item, top) and (dominant is None or dominant not in item.candidate.vertical_keys)
    if kind == "other":
        return dominant not in item.candidate.vertical_keys
    return True


def _spaced(item: Scored, history: Sequence[Placed]) -> bool:
    supplier = item.candidate.supplier_key
    recent = history[-(SUPPLIER_SPACING - 1) :]
    return supplier is None or all(p.supplier_key != supplier for p in recent)


def _varied(item: Scored, history: Sequence[Placed]) -> bool:
    recent = {v for p in history[-2:] for v in p.vertical_keys}
    return not any(v in recent for v in item.candidate.vertical_keys)


def _pick(
    pool: Sequence[Scored],
    history: Sequence[Placed],
    kind: str,
    dominant: str | None,
    top: set[str],
    now: int,
) -> int:
    """The best item for the slot, relaxing variety first, then the slot's kind, spacing last."""
    if kind == "editorial":
        fresh = [
            i
            for i, s in enumerate(pool)
            if s.candidate.kind is ItemKind.ARTICLE and now - s.candidate.created_at < DAY_MS
        ]
        if fresh:
            return max(fresh, key=lambda i: (pool[i].candidate.created_at, pool[i].candidate.key))
    passes: tuple[Callable[[Scored], bool], ...] = (
        lambda s: _fits(s, kind, dominant, top) and _spaced(s, history) and _varied(s, history),
        lambda s: _fits(s, kind, dominant, top) and _spaced(s, history),
        lambda s: _spaced(s, history) and _varied(s, history),
        lambda s: _spaced(s, history),
        lambda s: _fits(s, kind, dominant, top),
    )
    for accept in passes:
        for index, item in enumerate(pool):
            if accept(item):
                return index
    return 0


def rank(
    candidates: Sequence[Candidate],
    profile: Profile,
    signals: Signals,
    vertical: str | None,
    placed: Sequence[Placed] = (),
    count: int | None = None,
) -> list[FeedItem]:
    """Scores then arranges: the whole ranking of one feed snapshot (or its continuation)."""
    return arrange(score_all(candidates, profile, signals), profile, signals, vertical, placed, count)
