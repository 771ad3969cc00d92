"""Feed candidate pools: the same for every viewer of a (kind, vertical, order, size), so one process
keeps each in memory with its suppliers' quality, and refreshes it off the request path."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain.feeds import ItemKind
from app.domain.ranking import Candidate, SupplierQuality
from app.domain.suppliers import Supplier, service_index
from app.store.suppliers import SupplierRepository
from search.port import Candidate as SearchCandidate
from search.port import CandidateOrder, DocKind, SearchEngine

POOL_PERIOD_MS = 30_000
"""How stale a pool may be served: a product or supplier written since shows up within this (a feed
pins its first page's ranking for an hour anyway)."""

PoolKey = tuple[DocKind, str | None, CandidateOrder, int]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pooled:
    candidates: Sequence[Candidate]
    quality: Mapping[str, SupplierQuality]
    """Of every candidate's supplier the store still holds."""
    built_at: int


class CandidatePool:
    """Serves the last pool of a key; one older than `period_ms` is rebuilt in the background while
    the old one keeps serving, so only a key's first use waits for the search engine and the store."""

    def __init__(self, search: SearchEngine, suppliers: SupplierRepository, period_ms: int) -> None:
        self._search = search
        self._suppliers = suppliers
        self._period_ms = period_ms
        self._pools: dict[PoolKey, Pooled] = {}
        self._building: dict[PoolKey, asyncio.Task[Pooled]] = {}

    async def get(self, key: PoolKey, now: int) -> Pooled:
        pooled = self._pools.get(key)
        if pooled is None:
            # Concurrent first uses of a key share one build.
            return await asyncio.shield(self._build(key, now))
        if now - pooled.built_at >= self._period_ms and key not in self._building:
            self._build(key, now).add_done_callback(_log_failure)
        return pooled

    def _build(self, key: PoolKey, now: int) -> asyncio.Task[Pooled]:
        task = self._building.get(key)
        if task is None:
            task = asyncio.create_task(self._fill(key, now))
            self._building[key] = task
        return task

    async def _fill(self, key: PoolKey, now: int) -> Pooled:
        try:
            kind, vertical_key, order, size = key
            hits = await self._search.candidates(kind, vertical_key, order, size)
            candidates = [candidate(kind, hit) for hit in hits]
            keys = sorted({c.supplier_key for c in candidates if c.supplier_key is not None})
            suppliers = await self._suppliers.get_many(keys)
            quality = {s.key: supplier_quality(s, now) for s in suppliers if s is not None}
            pooled = Pooled(candidates, quality, now)
            self._pools[key] = pooled
            return pooled
        finally:
            del self._building[key]


def candidate(kind: DocKind, hit: SearchCandidate) -> Candidate:
    return Candidate(
        ItemKind(kind), hit.id, hit.vertical_ids, hit.supplier_id, hit.created_at, hit.popularity
    )


def supplier_quality(supplier: Supplier, now: int) -> SupplierQuality:
    index = service_index(supplier, now).total
    return SupplierQuality(supplier.verified, index, supplier.trade_assurance_limit_usd is not None)


def _log_failure(task: asyncio.Task[Pooled]) -> None:
    """A failed refresh leaves the old pool serving; the next request past the period tries again."""
    if not task.cancelled() and (error := task.exception()) is not None:
        log.warning("feed candidate pool refresh failed: %s", error)
