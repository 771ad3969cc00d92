"""The response cache port: opaque answers stored under a key, tagged, and evicted by tag.

    found = await cache.get(key)                      # Found(value or None, generation)
    await cache.put(key, value, tags, 60, found.generation)
    await cache.invalidate({"UHJvZHVjdDpwLTE"})       # every entry tagged with any of these, everywhere

Semantics, the same for every engine:

- An entry lives at most `ttl_seconds`, and may go sooner (an engine keeps a bounded amount).
- `put` stores nothing when one of its tags was invalidated since `get` returned `generation`:
  the answer was computed from data that may have changed meanwhile (the write committed while
  the request ran, and its invalidation came before this `put`).
- `invalidate` reaches every process that serves from the cache before it returns, or (for
  in-process engines, where other instances evict on a broker message) as soon as the broker
  delivers it. It raises `CacheUnavailable` when it cannot: the caller retries.
- `get` and `put` raise `CacheUnavailable` when the backend cannot be reached; callers then serve
  without the cache.
- `follow()` applies other processes' invalidations until cancelled; it returns at once for an
  engine that needs no following.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol


class CacheUnavailable(Exception):
    """The cache's backend cannot be reached."""


@dataclass(frozen=True)
class Found:
    value: bytes | None
    generation: int
    """Counts invalidations; handed back to `put`."""


class ResponseCache(Protocol):
    async def get(self, key: str) -> Found: ...

    async def put(
        self, key: str, value: bytes, tags: Collection[str], ttl_seconds: float, generation: int
    ) -> None: ...

    async def invalidate(self, tags: Collection[str]) -> None: ...

    async def follow(self) -> None: ...
