"""Feed ranking: scores candidates for one buyer, then arranges them under the diversity rules.

Pure: the service gathers candidates, interests, follows and engagement; this module decides.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

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


class Scored(NamedTuple):
    """A tuple, as a few hundred are made per ranking and a frozen dataclass is slower to build."""

    candidate: Candidate
    score: float
    reason: ReasonCode
    affinity: float


Ranked = tuple[int, Scored]
"""A scored item with its place in score order."""


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


def _jitter(seeded: hashlib.blake2b, key: str) -> float:
    """A stable small number per viewer and item, so ties break differently for different buyers:
    the hash of `seed|key`, from a hash already fed the seed."""
    digest = seeded.copy()
    digest.update(key.encode())
    return int.from_bytes(digest.digest(), "big") / 2**32


def score_all(candidates: Sequence[Candidate], profile: Profile, signals: Signals) -> list[Scored]:
    """Best first: interest affinity, freshness, popularity and supplier quality, blended."""
    pops = [math.log1p(max(c.popularity, 0.0) + 3 * signals.hot.get(c.key, 0.0)) for c in candidates]
    top_pop = max(pops, default=0.0) or 1.0
    top_supplier = max(profile.supplier_weights.values(), default=0.0) or 1.0
    personal = profile.personal
    seeded = hashlib.blake2b(f"{signals.seed}|".encode(), digest_size=4)
    scored = [
        _score(c, pop / top_pop, top_supplier, personal, seeded, profile, signals)
        for c, pop in zip(candidates, pops, strict=True)
    ]
    return sorted(scored, key=lambda s: (-s.score, s.candidate.key))


def _score(
    c: Candidate,
    pop: float,
    top_supplier: float,
    personal: bool,
    seeded: hashlib.blake2b,
    profile: Profile,
    signals: Signals,
) -> Scored:
    weights = profile.vertical_weights
    vertical = max((weights.get(v, 0.0) for v in c.vertical_keys), default=0.0) if personal else 0.0
    supplier = profile.supplier_weights.get(c.supplier_key or "", 0.0) / top_supplier
    affinity = min(1.0, vertical + 0.3 * supplier)
    quality = signals.quality.get(c.supplier_key or "")
    good = quality.score if quality is not None else 0.5
    followed = (
        c.kind is ItemKind.PRODUCT
        and c.supplier_key in profile.followed
        and signals.now - c.created_at <= FOLLOWED_NEW_DAYS * DAY_MS
    )
    interest = 3.0 * affinity if personal else 0.0
    new = (1.0 if personal else 1.5) * freshness(c.created_at, signals.now)
    trending = (1.0 if personal else 1.5) * pop
    total = (
        interest + new + trending + 0.5 * good + 0.05 * _jitter(seeded, c.key) + (1.5 if followed else 0.0)
    )
    return Scored(c, total, _reason(c, _main(interest, new, trending), interest, followed, signals), affinity)


def _main(interest: float, new: float, trending: float) -> ReasonCode:
    """The largest part of the score, the earlier of equal ones."""
    if interest >= new and interest >= trending:
        return ReasonCode.INTEREST
    return ReasonCode.NEW if new >= trending else ReasonCode.TRENDING


def _reason(c: Candidate, main: ReasonCode, interest: float, followed: bool, signals: Signals) -> ReasonCode:
    if followed:
        return ReasonCode.FOLLOWED
    if main is ReasonCode.INTEREST and interest > 0:
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
    # Articles fit only editorial slots and nothing else fits those, so each slot scans the group
    # that fits it, and the other only when no item of the first is both fitting and spaced.
    articles = [(position, s) for position, s in enumerate(scored) if s.candidate.kind is ItemKind.ARTICLE]
    others = [(position, s) for position, s in enumerate(scored) if s.candidate.kind is not ItemKind.ARTICLE]
    history = list(placed)
    dominant = dominant_vertical(profile.recent) if vertical is None and profile.personal else None
    top = {key for key, _ in sorted(profile.vertical_weights.items(), key=lambda kv: -kv[1])[:3]}
    wanted = len(scored) if count is None else count
    chosen: list[FeedItem] = []
    while (articles or others) and len(chosen) < wanted:
        slot = len(history)
        kind = _slot_kind(slot, dominant, profile)
        group, index = _pick(articles, others, history, kind, dominant, top, signals.now)
        _, item = group.pop(index)
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


def _pick(
    articles: list[Ranked],
    others: list[Ranked],
    history: Sequence[Placed],
    kind: str,
    dominant: str | None,
    top: set[str],
    now: int,
) -> tuple[list[Ranked], int]:
    """The best item for the slot, relaxing variety first, then the slot's kind, spacing last: the
    first in score order of the strictest rule any item meets."""
    if kind == "editorial":
        fresh = [i for i, (_, s) in enumerate(articles) if now - s.candidate.created_at < DAY_MS]
        if fresh:
            return articles, max(
                fresh, key=lambda i: (articles[i][1].candidate.created_at, articles[i][1].candidate.key)
            )
    suppliers = {p.supplier_key for p in history[-(SUPPLIER_SPACING - 1) :]}
    verticals = {v for p in history[-2:] for v in p.vertical_keys}

    def best(group: list[Ranked], reachable: int) -> tuple[int, int, int]:
        """(rule, score rank, index) of the group's first item of its strictest rule."""
        found = (len(_RELAXED), 0, 0)
        for index, (position, item) in enumerate(group):
            supplier = item.candidate.supplier_key
            spaced = supplier is None or supplier not in suppliers
            varied = spaced and verticals.isdisjoint(item.candidate.vertical_keys)
            rule = _RELAXED.index((_fits(item, kind, dominant, top), spaced, varied))
            if rule < found[0]:
                found = (rule, position, index)
                if rule <= reachable:
                    break
        return found

    fitting, unfitting = (articles, others) if kind == "editorial" else (others, articles)
    # Right after the dominant vertical, no item of it is varied: the second rule is the best one.
    mine = best(fitting, 1 if kind == "dominant" and dominant in verticals else 0)
    if mine[0] < _UNFITTING_BEST:
        return fitting, mine[2]
    theirs = best(unfitting, _UNFITTING_BEST)
    return (unfitting, theirs[2]) if theirs[:2] < mine[:2] else (fitting, mine[2])


_RELAXED: tuple[tuple[bool, bool, bool], ...] = (
    (True, True, True),
    (True, True, False),
    (False, True, True),
    (False, True, False),
    (True, False, False),
    (False, False, False),
)
"""(fits the slot's kind, spaced from its supplier's last edges, varied from the last verticals), from
the first choice to the last; `varied` is only worth knowing of a spaced item."""
_UNFITTING_BEST = 2
"""The strictest rule an item that does not fit the slot can meet (the third)."""


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
