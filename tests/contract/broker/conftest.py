"""Fixtures for the broker port's contract tests: the same suite over the in-process broker and
over Redis (a real redis-server started for the session, tests/servers/redis.py).

Redis tests skip with the reason when redis-server is not installed, or fail instead when
REQUIRE_REDIS=1 (for CI, so a missing install cannot pass unnoticed).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from app.broker.memory import MemoryBroker
from app.broker.port import Broker
from app.broker.redis import RedisBroker
from tests.servers.redis import RedisServer, redis_server_executable

BrokerFactory = Callable[..., Broker]


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


@pytest.fixture(params=["memory", "redis"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def make_broker(kind: str, request: pytest.FixtureRequest) -> AsyncIterator[BrokerFactory]:
    """Builds brokers of this test's kind (all on one shared backend for Redis); closes them."""
    made: list[Broker] = []
    url = request.getfixturevalue("redis_server").url if kind == "redis" else None

    def make(**kwargs: object) -> Broker:
        broker: Broker = MemoryBroker(**kwargs) if url is None else RedisBroker(url, **kwargs)  # type: ignore[arg-type]
        made.append(broker)
        return broker

    try:
        yield make
    finally:
        for broker in made:
            await broker.close()


@pytest.fixture
async def broker(make_broker: BrokerFactory) -> Broker:
    return make_broker()
