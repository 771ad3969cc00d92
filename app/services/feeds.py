"""Feeds: gather candidates from the search port, rank them for the viewer, pin the ranking in a
snapshot, and serve pages of it by position."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.events import hour_of
from app.domain.feeds import SNAPSHOT_TTL_MS, FeedItem
from app.domain.interests import normalized
from app.domain.ranking import Candidate, Placed, Profile, Signals, SupplierQuality, dominant_vertical, rank
from app.domain.suppliers import Supplier
from app.domain.trending import WINDOW_HOURS, growth, windows
from app.services.candidate_pool import (
    POOL_PERIOD_MS,
    CandidatePool,
    Pooled,
    PoolKey,
    candidate,
    supplier_quality,
)
from app.services.first_pages import FirstPages, RankedFrom
from app.services.interests import InterestService
from app.store.feed_snapshots import Snapshot, SnapshotEntry
from app.store.repositories import Repositories
from search.port import SearchEngine

SupplierLoader = Callable[[list[str]], Awaitable[list[Supplier | None]]]
PRODUCTS_PER_CALL = 150
OTHERS_PER_CALL = 40
FOCUS_PER_CALL = 60
RISING_MIN = 3
SNAPSHOT_BATCH = 200
"""Items arranged per snapshot write: ten pages of 20; more are ranked when a client pages that far."""
PRUNE_EVERY_MS = 60_000


class CursorExpired(Exception):
    """The snapshot a cursor points into is gone: the app reloads the first page."""


@dataclass(frozen=True)
class FeedPage:
    """Up to `first + 1` items after the cursor, each with its (snapshot, position) cursor key."""

    items: list[FeedItem]
    keys: list[list[str | int]]


@dataclass(frozen=True)
class FeedViewer:
    buyer_key: str | None
    seed: str


class FeedService:
    def __init__(self, repos: Repositories, search: SearchEngine, interests: InterestService) -> None:
        self._repos = repos
        self._search = search
        self._interests = interests
        self._pool = CandidatePool(search, repos.suppliers, POOL_PERIOD_MS)
        self._first_pages = FirstPages()
        self._pruned_at = 0

    async def page(
        self,
        viewer: FeedViewer,
        vertical_key: str | None,
        fetch: int,
        after: tuple[str, int] | None,
        load_suppliers: SupplierLoader,
        now: int,
    ) -> FeedPage:
        """`fetch` items after the cursor key; the first page ranks afresh and pins a snapshot."""
        if after is None:
            snapshot = await self._first_snapshot(viewer, vertical_key, fetch, now)
            start = 0
        else:
            found = await self._repos.feed_snapshots.get(after[0], now)
            if found is None:
                raise CursorExpired
            snapshot, start = found, after[1] + 1
            if len(snapshot.entries) < start + fetch and not snapshot.exhausted:
                snapshot = await self._extend(viewer, snapshot, start + fetch, load_suppliers, now)
        entries = snapshot.entries[start : start + fetch]
        return FeedPage([e.item for e in entries], [[snapshot.key, start + i] for i in range(len(entries))])

    async def _first_snapshot(
        self, viewer: FeedViewer, vertical_key: str | None, fetch: int, now: int
    ) -> Snapshot:
        profile, excluded = await self._profile(viewer)
        calls = _calls(profile, vertical_key, 1)
        pooled = await asyncio.gather(*(self._pooled(call, now) for call in calls))
        inputs = RankedFrom.of(profile, excluded, pooled)
        page_key = (viewer.buyer_key or "-", vertical_key)
        reused = self._first_pages.get(page_key, inputs, fetch, now)
        # The pruning of another process, whose clock may run ahead, can have removed it.
        if reused is not None and await self._repos.feed_snapshots.still_held(reused.key, now):
            return reused
        candidates = _merged([p.candidates for p in pooled], excluded)
        quality = {key: q for p in pooled for key, q in p.quality.items()}
        count = max(fetch, SNAPSHOT_BATCH)
        entries = await self._rank(candidates, quality, profile, viewer, vertical_key, [], now, count)
        snapshot = Snapshot(
            key=secrets.token_urlsafe(9),
            vertical_key=vertical_key,
            entries=entries,
            exhausted=len(entries) < count,
            expires_at=now + SNAPSHOT_TTL_MS,
        )
        await self._repos.feed_snapshots.create(snapshot, viewer.buyer_key or "-", now)
        self._first_pages.keep(page_key, inputs, snapshot, now)
        if now - self._pruned_at >= PRUNE_EVERY_MS:
            # Expired snapshots only cost space (reads check `expires_at`), so one sweep a minute.
            self._pruned_at = now
            await self._repos.feed_snapshots.prune(now)
        return snapshot

    async def _pooled(self, call: PoolKey, now: int) -> Pooled:
        """Articles are read afresh, so one published a moment ago is already in the next first page."""
        kind, vertical_key, order, size = call
        if kind != "article":
            return await self._pool.get(call, now)
        hits = await self._search.candidates(kind, vertical_key, order, size)
        return Pooled([candidate(kind, hit) for hit in hits], {}, now)

    async def _extend(
        self, viewer: FeedViewer, snapshot: Snapshot, wanted: int, load_suppliers: SupplierLoader, now: int
    ) -> Snapshot:
        """Ranks more candidates, none already in the snapshot, after its last entry."""
        profile, excluded = await self._profile(viewer)
        shown = {e.item.key for e in snapshot.entries}
        scale = 1 + len(snapshot.entries) // PRODUCTS_PER_CALL
        calls = _calls(profile, snapshot.vertical_key, scale + 1)
        results = await asyncio.gather(*(self._search.candidates(k, v, o, n, shown) for k, v, o, n in calls))
        candidates = _merged(
            [
                [candidate(kind, hit) for hit in hits]
                for (kind, _, _, _), hits in zip(calls, results, strict=True)
            ],
            excluded,
        )
        keys = sorted({c.supplier_key for c in candidates if c.supplier_key is not None})
        quality = {s.key: supplier_quality(s, now) for s in await load_suppliers(keys) if s is not None}
        placed = [e.placed for e in snapshot.entries]
        count = max(wanted - len(placed), SNAPSHOT_BATCH)
        more = await self._rank(
            candidates, quality, profile, viewer, snapshot.vertical_key, placed, now, count
        )
        entries = [*snapshot.entries, *more]
        exhausted = not more or len(entries) < wanted
        await self._repos.feed_snapshots.extend(snapshot.key, more, exhausted)
        return Snapshot(snapshot.key, snapshot.vertical_key, entries, exhausted, snapshot.expires_at)

    async def _profile(self, viewer: FeedViewer) -> tuple[Profile, set[str]]:
        """Interests, follows, and the products already saved or asked about (left out of feeds)."""
        key = viewer.buyer_key
        if key is None:
            return Profile(), set()
        snapshots = self._repos.feed_snapshots
        interests, followed, saved, inquired = await asyncio.gather(
            self._interests.profile(key),
            snapshots.followed_suppliers(key),
            snapshots.saved_products(key),
            snapshots.inquired_products(key),
        )
        profile = Profile(
            vertical_weights=dict(normalized(interests.verticals)),
            supplier_weights=dict(normalized(interests.suppliers)),
            recent=interests.recent,
            followed=frozenset(followed),
        )
        return profile, set(saved) | set(inquired)

    async def _rank(
        self,
        candidates: Sequence[Candidate],
        quality: Mapping[str, SupplierQuality],
        profile: Profile,
        viewer: FeedViewer,
        vertical_key: str | None,
        placed: Sequence[Placed],
        now: int,
        count: int,
    ) -> list[SnapshotEntry]:
        counts = await self._repos.engagement.hourly_of(
            [c.key for c in candidates], hour_of(now) - 2 * WINDOW_HOURS + 1
        )
        sums = windows(counts, hour_of(now))
        signals = Signals(
            now=now,
            hot={key: float(this) for key, (this, _) in sums.items()},
            rising=frozenset(
                k for k, (this, prev) in sums.items() if this >= RISING_MIN and growth(this, prev) > 1
            ),
            quality=quality,
            seed=viewer.seed,
        )
        by_key = {c.key: c for c in candidates}
        items = rank(candidates, profile, signals, vertical_key, placed, count)
        return [
            SnapshotEntry(i, Placed(by_key[i.key].supplier_key, by_key[i.key].vertical_keys)) for i in items
        ]


def _calls(profile: Profile, vertical_key: str | None, scale: int) -> list[PoolKey]:
    """A few search calls: the vertical's (or all) new and popular items, and the buyer's favourites."""
    calls: list[PoolKey] = [
        ("product", vertical_key, "NEW", PRODUCTS_PER_CALL * scale),
        ("product", vertical_key, "POPULAR", PRODUCTS_PER_CALL * scale),
        ("article", vertical_key, "NEW", OTHERS_PER_CALL * scale),
        ("supplier", vertical_key, "POPULAR", OTHERS_PER_CALL * scale),
    ]
    if vertical_key is None and profile.personal:
        focus = dominant_vertical(profile.recent)
        favourites = [k for k, _ in sorted(profile.vertical_weights.items(), key=lambda kv: -kv[1])[:2]]
        for key in dict.fromkeys([*([focus] if focus else []), *favourites]):
            calls.append(("product", key, "POPULAR", FOCUS_PER_CALL * scale))
            calls.append(("supplier", key, "POPULAR", OTHERS_PER_CALL // 2 * scale))
    return calls


def _merged(results: Sequence[Sequence[Candidate]], excluded: set[str]) -> list[Candidate]:
    """Every call's candidates once, leaving out the buyer's saved and asked-about products."""
    found: dict[str, Candidate] = {}
    for hits in results:
        for hit in hits:
            if hit.key not in excluded:
                found.setdefault(hit.key, hit)
    return list(found.values())
