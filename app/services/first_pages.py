"""First pages asked again: the same buyer's first page of the same feed, ranked from the same inputs
less than `REUSE_MS` ago, is that ranking again, the snapshot it pinned included.

An app asks for a first page on every start, tab switch and pull to refresh. The inputs are the
buyer's profile (interests, follows, saved and asked-about products), the candidate pools and the
articles found: any change to one ranks afresh, so a buyer's own events still apply at once. What
is not an input is the hourly engagement and the clock, which the reuse lets lag by at most
`REUSE_MS`, as the candidate pools already do. Ranking and pinning were about 40% of a first page.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain.ranking import Candidate, Profile, SupplierQuality
from app.services.candidate_pool import POOL_PERIOD_MS, Pooled
from app.store.feed_snapshots import Snapshot

REUSE_MS = POOL_PERIOD_MS
KEPT = 1_000
"""First pages kept (a snapshot of 200 entries is some tens of KiB), the oldest out first."""

FirstPageKey = tuple[str, str | None]
"""The viewer (a buyer's key, or "-" for everyone anonymous, who all get the same ranking) and the
vertical."""


@dataclass(frozen=True)
class RankedFrom:
    """What a first page's ranking depended on; equal inputs rank equally (the seed is the viewer's)."""

    profile: Profile
    excluded: frozenset[str]
    candidates: Sequence[Sequence[Candidate]]
    quality: Sequence[Mapping[str, SupplierQuality]]

    @classmethod
    def of(cls, profile: Profile, excluded: set[str], pooled: Sequence[Pooled]) -> RankedFrom:
        """By content, not by pool: a refreshed pool that found the same is the same input."""
        return cls(profile, frozenset(excluded), [p.candidates for p in pooled], [p.quality for p in pooled])


@dataclass(frozen=True)
class _Kept:
    inputs: RankedFrom
    snapshot: Snapshot
    ranked_at: int


class FirstPages:
    def __init__(self) -> None:
        self._kept: OrderedDict[FirstPageKey, _Kept] = OrderedDict()

    def get(self, key: FirstPageKey, inputs: RankedFrom, wanted: int, now: int) -> Snapshot | None:
        """The snapshot ranked from these inputs within `REUSE_MS`, if it holds `wanted` entries."""
        self._forget_older_than(now - REUSE_MS)
        kept = self._kept.get(key)
        if kept is None or not 0 <= now - kept.ranked_at < REUSE_MS or kept.inputs != inputs:
            return None
        snapshot = kept.snapshot
        return snapshot if len(snapshot.entries) >= wanted or snapshot.exhausted else None

    def keep(self, key: FirstPageKey, inputs: RankedFrom, snapshot: Snapshot, now: int) -> None:
        self._kept.pop(key, None)
        self._kept[key] = _Kept(inputs, snapshot, now)
        while len(self._kept) > KEPT:
            self._kept.popitem(last=False)

    def _forget_older_than(self, oldest: int) -> None:
        # Kept in the order they were ranked, so the stale ones are at the front (a clock set back
        # may leave one further in, which `get` does not reuse either).
        while self._kept:
            first = next(iter(self._kept.values()))
            if first.ranked_at > oldest:
                return
            self._kept.popitem(last=False)
