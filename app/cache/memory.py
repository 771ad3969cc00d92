"""The in-process response cache: an LRU bounded in bytes, entries with a TTL, a tag index.

Each serving process keeps its own entries, so an invalidation is applied here at once and
published on the broker; every instance (this one included, harmlessly) evicts on receipt. The
broker delivers at most once: an instance that misses a message (reconnecting to Redis as it was
sent) keeps those entries until their TTL.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Collection
from dataclasses import dataclass

import orjson

from app.broker.port import Broker, BrokerError, BrokerUnavailable
from app.cache.port import CacheUnavailable, Found

log = logging.getLogger("buyer_api.cache")

INVALIDATIONS = "response-cache:invalidate"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# Invalidations remembered for `put`'s check; a request that saw more than this many go by stores nothing.
REMEMBERED = 1024


@dataclass(frozen=True)
class _Entry:
    value: bytes
    expires: float
    tags: frozenset[str]
    size: int


class MemoryResponseCache:
    def __init__(self, broker: Broker | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._broker = broker
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._tagged: dict[str, set[str]] = {}
        self._bytes = 0
        self._generation = 0
        # (generation, tags) of recent invalidations; None for "everything".
        self._recent: deque[tuple[int, frozenset[str] | None]] = deque(maxlen=REMEMBERED)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    async def get(self, key: str) -> Found:
        entry = self._entries.get(key)
        if entry is not None and entry.expires <= time.monotonic():
            self._remove(key)
            entry = None
        if entry is not None:
            self._entries.move_to_end(key)
        return Found(entry.value if entry is not None else None, self._generation)

    async def put(
        self, key: str, value: bytes, tags: Collection[str], ttl_seconds: float, generation: int
    ) -> None:
        size = len(key) + len(value)
        if size > self._max_bytes or self._invalidated_since(generation, tags):
            return
        self._remove(key)
        self._entries[key] = _Entry(value, time.monotonic() + ttl_seconds, frozenset(tags), size)
        self._bytes += size
        for tag in tags:
            self._tagged.setdefault(tag, set()).add(key)
        while self._bytes > self._max_bytes:
            self._remove(next(iter(self._entries)))

    async def invalidate(self, tags: Collection[str]) -> None:
        self.evict(tags)
        if self._broker is None:
            return
        try:
            await self._broker.publish(INVALIDATIONS, orjson.dumps(sorted(tags)))
        except BrokerUnavailable as error:
            raise CacheUnavailable(f"the broker cannot carry the invalidation: {error}") from None

    def evict(self, tags: Collection[str]) -> None:
        self._generation += 1
        self._recent.append((self._generation, frozenset(tags)))
        for tag in tags:
            for key in list(self._tagged.get(tag, ())):
                self._remove(key)

    def clear(self) -> None:
        self._generation += 1
        self._recent.append((self._generation, None))
        self._entries.clear()
        self._tagged.clear()
        self._bytes = 0

    async def follow(self) -> None:
        """Evicts on every instance's invalidations; after a lost subscription (messages missed
        meanwhile) everything goes, since any entry may be stale."""
        if self._broker is None:
            return
        while True:
            try:
                async with self._broker.subscribe(INVALIDATIONS) as messages:
                    self.clear()
                    async for message in messages:
                        self.evict(orjson.loads(message))
            except BrokerError:
                log.warning("response cache invalidations subscription lost; retrying")
                await asyncio.sleep(1.0)

    def _invalidated_since(self, generation: int, tags: Collection[str]) -> bool:
        if generation == self._generation:
            return False
        if not self._recent or self._recent[0][0] > generation + 1:
            return True
        for later, gone in reversed(self._recent):
            if later <= generation:
                return False
            if gone is None or not gone.isdisjoint(tags):
                return True
        return False

    def _remove(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self._bytes -= entry.size
        for tag in entry.tags:
            keys = self._tagged.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._tagged[tag]
