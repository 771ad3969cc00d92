"""The response cache in Redis, shared by every instance: entries are keys with a TTL, each tag a
set of entry keys; invalidation deletes the tagged keys, so one call reaches every instance.

Written for one Redis (not a cluster): the scripts touch keys they find in the tag sets.
"""

from __future__ import annotations

from collections.abc import Collection

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.cache.port import CacheUnavailable, Found

GENERATION = "rc:generation"
ENTRY = "rc:e:"
TAG = "rc:t:"
INVALIDATED = "rc:i:"
# How long an invalidation is remembered for `put`'s check: far longer than any request runs.
REMEMBER_MS = 600_000

# KEYS: the entry, then per tag its set and its last invalidation. Stores nothing when one of the
# tags was invalidated since the caller's read; keeps each tag set as long as its newest entry.
_PUT = """
local seen = tonumber(ARGV[3])
for i = 2, #KEYS, 2 do
  if (tonumber(redis.call('GET', KEYS[i + 1])) or 0) > seen then return 0 end
end
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
for i = 2, #KEYS, 2 do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
"""

# KEYS: the generation, then per tag its set and its last invalidation. Marks each tag with the new
# generation, so a request that read before this cannot store an entry of that tag after it.
_INVALIDATE = """
local generation = redis.call('INCR', KEYS[1])
for i = 2, #KEYS, 2 do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 500 do
    redis.call('UNLINK', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('UNLINK', KEYS[i])
  redis.call('SET', KEYS[i + 1], generation, 'PX', ARGV[1])
end
return generation
"""


class RedisResponseCache:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._put = redis.register_script(_PUT)
        self._invalidate = redis.register_script(_INVALIDATE)

    async def get(self, key: str) -> Found:
        try:
            generation, value = await self._redis.mget([GENERATION, ENTRY + key])
        except (RedisError, OSError) as error:
            raise CacheUnavailable(str(error)) from None
        return Found(value.encode() if isinstance(value, str) else value, int(generation or 0))

    async def put(
        self, key: str, value: bytes, tags: Collection[str], ttl_seconds: float, generation: int
    ) -> None:
        keys = [ENTRY + key, *_tag_keys(tags)]
        try:
            await self._put(keys=keys, args=[value, int(ttl_seconds * 1000), generation])
        except (RedisError, OSError) as error:
            raise CacheUnavailable(str(error)) from None

    async def invalidate(self, tags: Collection[str]) -> None:
        try:
            await self._invalidate(keys=[GENERATION, *_tag_keys(tags)], args=[REMEMBER_MS])
        except (RedisError, OSError) as error:
            raise CacheUnavailable(str(error)) from None

    async def follow(self) -> None:
        return None


def _tag_keys(tags: Collection[str]) -> list[str]:
    return [key for tag in tags for key in (TAG + tag, INVALIDATED + tag)]
