"""Rate limits: a leaky bucket of cost points per viewer or client IP, in memory or in Redis."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.edge.metrics import REDIS_FAILURES


@dataclass(frozen=True)
class Throttle:
    allowed: bool
    available: float
    capacity: int
    restore_rate: float
    retry_after_seconds: int


class RateLimiter(Protocol):
    async def take(self, key: str, cost: int) -> Throttle: ...


def _leak(level: float, updated: float, now: float, capacity: int, rate: float) -> float:
    return min(float(capacity), level + max(0.0, now - updated) * rate)


def _decide(available: float, cost: int, capacity: int, rate: float) -> Throttle:
    if cost <= available:
        return Throttle(True, available - cost, capacity, rate, 0)
    wait = math.ceil((cost - available) / rate) if rate > 0 else 3600
    return Throttle(False, available, capacity, rate, max(1, wait))


class MemoryRateLimiter:
    def __init__(self, capacity: int, restore_rate: float) -> None:
        self._capacity = capacity
        self._rate = restore_rate
        self._buckets: dict[str, tuple[float, float]] = {}

    async def take(self, key: str, cost: int) -> Throttle:
        now = time.monotonic()
        level, updated = self._buckets.get(key, (float(self._capacity), now))
        available = _leak(level, updated, now, self._capacity, self._rate)
        throttle = _decide(available, cost, self._capacity, self._rate)
        self._buckets[key] = (throttle.available, now)
        if len(self._buckets) > 100_000:
            self._buckets.clear()
        return throttle


# One atomic step: refill by elapsed time, take the cost if there is enough, keep the bucket an hour.
_TAKE_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'level', 'updated')
local level = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
level = math.min(capacity, level + math.max(0, now - updated) * rate)
local allowed = 0
if cost <= level then
  level = level - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'level', level, 'updated', now)
redis.call('EXPIRE', KEYS[1], 3600)
return {allowed, tostring(level)}
"""


class RedisRateLimiter:
    """Shared by every instance; fails open (served, counted in /metrics) while Redis is down."""

    def __init__(self, redis: Redis, capacity: int, restore_rate: float) -> None:
        self._redis = redis
        self._capacity = capacity
        self._rate = restore_rate
        self._script = redis.register_script(_TAKE_SCRIPT)

    async def take(self, key: str, cost: int) -> Throttle:
        try:
            allowed, level = await self._script(
                keys=[f"bucket:{key}"], args=[self._capacity, self._rate, cost]
            )
        except (RedisError, OSError):
            REDIS_FAILURES.labels("rate_limit").inc()
            return Throttle(True, float(self._capacity), self._capacity, self._rate, 0)
        available = float(level)
        if int(allowed):
            return Throttle(True, available, self._capacity, self._rate, 0)
        return _decide(available, cost, self._capacity, self._rate)
