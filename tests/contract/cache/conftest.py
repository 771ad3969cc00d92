"""Fixtures of the response cache port's contract: the same suite over the in-process engine (on an
in-process broker) and over Redis (the session's redis-server of tests/contract/conftest.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis

from app.broker.memory import MemoryBroker
from app.cache.memory import MemoryResponseCache
from app.cache.port import ResponseCache
from app.cache.redis import RedisResponseCache

CacheFactory = Callable[[], ResponseCache]


@pytest.fixture(params=["memory", "redis"])
async def make_cache(request: pytest.FixtureRequest) -> AsyncIterator[CacheFactory]:
    """Makes caches that act as instances of one deployment: in process on one broker, each
    following it; or clients of one Redis."""
    broker = MemoryBroker()
    clients: list[Redis] = []
    url = request.getfixturevalue("redis_server").url if request.param == "redis" else None

    def make() -> ResponseCache:
        if url is None:
            return MemoryResponseCache(broker)
        clients.append(Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5))
        return RedisResponseCache(clients[-1])

    yield make
    await broker.close()
    for client in clients:
        await client.aclose()
