"""Fixtures every contract suite may use: a real redis-server (tests/servers/redis.py).

Redis tests skip with the reason when redis-server is not installed, or fail instead when
REQUIRE_REDIS=1 (for CI, so a missing install cannot pass unnoticed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.servers.redis import RedisServer, redis_server_executable


def _require_redis_server() -> None:
    if redis_server_executable() is None:
        reason = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    _require_redis_server()
    with RedisServer() as server:
        yield server


@pytest.fixture
def own_redis_server() -> Iterator[RedisServer]:
    """A redis-server of this test's own, free to be stopped and started."""
    _require_redis_server()
    with RedisServer() as server:
        yield server
