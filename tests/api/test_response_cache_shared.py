"""The response cache across instances and under the rate limit: two instances on one shape share what
a write invalidates (in Redis, or each in process evicting on the broker's message), and a hit still
spends the caller's bucket."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.api.harness import Api, serve, unique
from tests.api.shapes import engine_overrides
from tests.api.test_response_cache_support import (
    ask,
    cache_counts,
    clients,
    new_product,
    page_variables,
    retitle,
)
from tests.api.test_search_support import eventually
from tests.servers.redis import RedisServer, redis_server_executable


@pytest.fixture(scope="module", params=["on", "memory"])
def instances(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Api]]:
    """Two instances with a Redis broker: the first runs the outbox, the second only serves. `on`
    keeps the cache in Redis, `memory` in each process."""
    if redis_server_executable() is None:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    with ExitStack() as stack:
        engines = engine_overrides(stack) or {"broker_url": stack.enter_context(RedisServer()).url}
        folder: Path = tmp_path_factory.mktemp("cache-pair")
        cache = {"response_cache": request.param, **engines}
        first = stack.enter_context(serve(folder, products=60, **cache))
        second = stack.enter_context(serve(folder, seed=False, worker_in_process=False, **cache))
        yield [first, second]


@pytest.fixture
async def pair(instances: list[Api]) -> AsyncIterator[list[Api]]:
    async with clients(*instances):
        yield instances


async def test_a_write_invalidates_the_page_on_both_instances(pair: list[Api]) -> None:
    # given: both instances answer the product's page from the cache
    first, second = pair
    fresh = await new_product(first, "p-0000010")
    variables = page_variables(fresh.key)
    for api in (first, second, first, second):
        await ask(api, "ProductPage", variables)
    # when
    title = "Shared retitle " + unique("t")
    await retitle(first, fresh.key, title)
    await first.drain_outbox()
    # then: the in-process engine's eviction comes with the broker's message, a moment later
    for api in pair:
        page = await eventually(
            lambda api=api: ask(api, "ProductPage", variables),  # type: ignore[misc]
            lambda r: r.json()["data"]["product"]["title"] == title,
        )
        assert page.json()["data"]["product"]["title"] == title


async def test_the_redis_cache_answers_one_instance_with_what_the_other_stored(pair: list[Api]) -> None:
    first, second = pair
    if first.settings.response_cache != "on":
        pytest.skip("each in-process cache holds its own entries")
    # given
    variables = page_variables((await new_product(first, "p-0000011")).key)
    stored = await ask(first, "ProductPage", variables)
    before = await cache_counts(second)
    # when
    shared = await ask(second, "ProductPage", variables)
    # then
    assert (await cache_counts(second))["hit"] == before["hit"] + 1
    assert shared.json()["data"] == stored.json()["data"]


@pytest.fixture(scope="module")
def tight_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with serve(tmp_path_factory.mktemp("tight-cache"), products=0, rate_limit="5:1") as api:
        yield api


@pytest.fixture
async def tight(tight_server: Api) -> AsyncIterator[Api]:
    async with clients(tight_server):
        yield tight_server


async def test_a_cached_answer_still_spends_the_callers_bucket(tight: Api) -> None:
    # given: an anonymous caller (a bucket of 5 points, 1 a request) whose answer is cached at once
    query = "query Shelf { verticals { id } }"
    before = await cache_counts(tight)
    # when
    statuses = [(await tight.post(query)).status_code for _ in range(8)]
    # then
    assert statuses[:5] == [200] * 5
    assert 429 in statuses[5:]
    assert (await cache_counts(tight))["hit"] >= before["hit"] + 4
