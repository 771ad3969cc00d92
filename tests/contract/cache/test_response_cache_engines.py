"""The response cache port's contract (app/cache/port.py), the same for the in-process engine and Redis;
then what only one engine has: the in-process byte bound, Redis outages."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from redis.asyncio import Redis

from app.cache.memory import MemoryResponseCache
from app.cache.port import CacheUnavailable, ResponseCache
from app.cache.redis import RedisResponseCache
from tests.contract.cache.conftest import CacheFactory
from tests.servers.redis import RedisServer

TTL = 60.0


def fresh(prefix: str) -> str:
    """Keys and tags of this test only (the Redis server is shared by the session)."""
    return f"{prefix}-{secrets.token_hex(4)}"


@asynccontextmanager
async def following(*caches: ResponseCache) -> AsyncIterator[None]:
    """Runs each cache's `follow()` as a serving instance does, until the block ends."""
    tasks = [asyncio.create_task(cache.follow()) for cache in caches]
    await asyncio.sleep(0.05)
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def put(cache: ResponseCache, key: str, value: bytes, tags: set[str], ttl: float = TTL) -> None:
    found = await cache.get(key)
    await cache.put(key, value, tags, ttl, found.generation)


async def eventually_gone(cache: ResponseCache, key: str) -> bool:
    for _ in range(100):
        if (await cache.get(key)).value is None:
            return True
        await asyncio.sleep(0.02)
    return False


async def test_a_stored_answer_is_found_until_its_ttl_runs_out(make_cache: CacheFactory) -> None:
    # given
    cache = make_cache()
    key = fresh("key")
    await put(cache, key, b"answer", {fresh("tag")}, ttl=0.3)
    # when
    found = (await cache.get(key)).value
    await asyncio.sleep(0.4)
    # then
    assert found == b"answer"
    assert (await cache.get(key)).value is None


async def test_invalidating_a_tag_evicts_every_entry_tagged_with_it_and_no_other(
    make_cache: CacheFactory,
) -> None:
    # given: two entries share a tag, a third has another
    cache = make_cache()
    shared, other = fresh("product"), fresh("supplier")
    first, second, third = fresh("a"), fresh("b"), fresh("c")
    await put(cache, first, b"1", {shared, other})
    await put(cache, second, b"2", {shared})
    await put(cache, third, b"3", {other})
    # when
    await cache.invalidate({shared})
    # then
    assert [(await cache.get(k)).value for k in (first, second, third)] == [None, None, b"3"]


async def test_a_put_after_its_tag_was_invalidated_stores_nothing(make_cache: CacheFactory) -> None:
    # given: a miss, then a write's invalidation while the answer was being computed
    cache = make_cache()
    key, tag = fresh("key"), fresh("product")
    found = await cache.get(key)
    await cache.invalidate({tag})
    # when
    await cache.put(key, b"stale", {tag}, TTL, found.generation)
    # then
    assert (await cache.get(key)).value is None


async def test_an_invalidation_of_other_tags_meanwhile_does_not_stop_a_put(make_cache: CacheFactory) -> None:
    # given
    cache = make_cache()
    key = fresh("key")
    found = await cache.get(key)
    await cache.invalidate({fresh("elsewhere")})
    # when
    await cache.put(key, b"fresh", {fresh("product")}, TTL, found.generation)
    # then
    assert (await cache.get(key)).value == b"fresh"


async def test_an_invalidation_reaches_every_instance(make_cache: CacheFactory) -> None:
    # given: two instances hold an entry of the tag
    first, second = make_cache(), make_cache()
    key, tag = fresh("key"), fresh("article")
    async with following(first, second):
        await put(first, key, b"page", {tag})
        await put(second, key, b"page", {tag})
        # when
        await first.invalidate({tag})
        # then
        assert await eventually_gone(second, key)
        assert (await first.get(key)).value is None


async def test_the_memory_engine_keeps_at_most_its_bytes_dropping_the_least_recently_used() -> None:
    # given: room for about three entries of 100 bytes
    cache = MemoryResponseCache(max_bytes=350)
    for key in ("a", "b", "c"):
        await put(cache, key, b"x" * 100, {f"tag-{key}"})
    await cache.get("a")
    # when
    await put(cache, "d", b"x" * 100, {"tag-d"})
    # then: "b" was the least recently used
    assert [(await cache.get(k)).value is not None for k in "abcd"] == [True, False, True, True]
    assert cache.size_bytes <= 350


async def test_the_memory_engine_does_not_keep_an_entry_larger_than_its_bound() -> None:
    cache = MemoryResponseCache(max_bytes=100)
    await put(cache, "big", b"x" * 200, {"tag"})
    assert (await cache.get("big")).value is None
    assert cache.size_bytes == 0


async def test_with_redis_down_every_call_raises_cache_unavailable(own_redis_server: RedisServer) -> None:
    client = Redis.from_url(own_redis_server.url, socket_timeout=0.5, socket_connect_timeout=0.5)
    cache = RedisResponseCache(client)
    await put(cache, "key", b"page", {"tag"})
    own_redis_server.stop()
    try:
        calls: list[Callable[[], Awaitable[object]]] = [
            lambda: cache.get("key"),
            lambda: cache.put("key", b"page", {"tag"}, TTL, 0),
            lambda: cache.invalidate({"tag"}),
        ]
        for call in calls:
            with pytest.raises(CacheUnavailable):
                await call()
    finally:
        await client.aclose()
