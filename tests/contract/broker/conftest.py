"""Fixtures for the broker port's contract tests: the same suite over the in-process broker and
over Redis (the session's redis-server of tests/contract/conftest.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from app.broker.memory import MemoryBroker
from app.broker.port import Broker
from app.broker.redis import RedisBroker

BrokerFactory = Callable[..., Broker]


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
