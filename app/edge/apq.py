"""Automatic persisted queries: the hash → document store, in memory or shared through Redis."""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.edge.metrics import REDIS_FAILURES

APQ_TTL_SECONDS = 7 * 24 * 3600


class HashStore(Protocol):
    async def get(self, sha256: str) -> str | None: ...

    async def put(self, sha256: str, text: str) -> None: ...


class MemoryHashStore:
    def __init__(self, size: int = 5000) -> None:
        self._size = size
        self._texts: OrderedDict[str, str] = OrderedDict()

    async def get(self, sha256: str) -> str | None:
        text = self._texts.get(sha256)
        if text is not None:
            self._texts.move_to_end(sha256)
        return text

    async def put(self, sha256: str, text: str) -> None:
        self._texts[sha256] = text
        if len(self._texts) > self._size:
            self._texts.popitem(last=False)


class RedisHashStore:
    """Shared by every instance; when Redis fails, the local copy still answers."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._local = MemoryHashStore()

    async def get(self, sha256: str) -> str | None:
        local = await self._local.get(sha256)
        if local is not None:
            return local
        try:
            raw = await self._redis.get(f"apq:{sha256}")
        except (RedisError, OSError):
            REDIS_FAILURES.labels("apq").inc()
            return None
        if raw is None:
            return None
        text = raw.decode() if isinstance(raw, bytes) else str(raw)
        await self._local.put(sha256, text)
        return text

    async def put(self, sha256: str, text: str) -> None:
        await self._local.put(sha256, text)
        try:
            await self._redis.set(f"apq:{sha256}", text, ex=APQ_TTL_SECONDS)
        except (RedisError, OSError):
            REDIS_FAILURES.labels("apq").inc()
