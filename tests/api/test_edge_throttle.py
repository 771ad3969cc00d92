"""Rate limits as a leaky bucket of cost points, per viewer or client IP, shared through Redis."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.api.harness import Api, serve
from tests.servers.redis import RedisServer, redis_server_executable

VERTICALS = "query Verticals { verticals { id } }"


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with serve(tmp_path_factory.mktemp("tight"), products=0, rate_limit="5:1") as api:
        yield api


async def test_an_empty_bucket_answers_429_with_retry_after_and_runs_nothing(tight: Api) -> None:
    # given
    token = tight.token()
    async with httpx.AsyncClient(base_url=tight.url) as client:
        headers = {"Authorization": f"Bearer {token}"}
        statuses = [
            (await client.post("/graphql", json={"query": VERTICALS}, headers=headers)) for _ in range(8)
        ]
    # then
    refused = [r for r in statuses if r.status_code == 429]
    assert refused, [r.status_code for r in statuses]
    first = refused[0]
    assert int(first.headers["retry-after"]) >= 1
    error = first.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfterSeconds"] >= 1
    assert "data" not in first.json()


async def test_each_viewer_has_a_bucket_of_their_own(tight: Api) -> None:
    async with httpx.AsyncClient(base_url=tight.url) as client:
        for token in (tight.token(), tight.token()):
            response = await client.post(
                "/graphql", json={"query": VERTICALS}, headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code == 200


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Api, RedisServer]]:
    if redis_server_executable() is None:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    with ExitStack() as stack:
        redis = stack.enter_context(RedisServer())
        folder: Path = tmp_path_factory.mktemp("pair")
        first = stack.enter_context(serve(folder, products=0, broker_url=redis.url, rate_limit="6:0.5"))
        second_settings = {"broker_url": redis.url, "rate_limit": "6:0.5"}
        second = stack.enter_context(serve(folder, products=0, seed=False, **second_settings))
        yield first, second, redis


async def test_two_instances_share_one_bucket_through_redis(pair: tuple[Api, Api, RedisServer]) -> None:
    first, second, _ = pair
    token = first.token()
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient() as client:
        answers = []
        for index in range(8):
            api = first if index % 2 == 0 else second
            answers.append(
                (
                    await client.post(f"{api.url}/graphql", json={"query": VERTICALS}, headers=headers)
                ).status_code
            )
    assert answers[:6] == [200] * 6
    assert 429 in answers[6:]


async def test_a_persisted_hash_registered_on_one_instance_runs_on_the_other(
    pair: tuple[Api, Api, RedisServer],
) -> None:
    first, second, _ = pair
    query = "query Shared { verticals { slug } }"
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}
    async with httpx.AsyncClient() as client:
        await client.post(f"{first.url}/graphql", json={"query": query, "extensions": extensions})
        response = await client.post(f"{second.url}/graphql", json={"extensions": extensions})
    assert len(response.json()["data"]["verticals"]) >= 15


async def test_with_redis_down_requests_are_served_and_the_failure_counted(
    pair: tuple[Api, Api, RedisServer],
) -> None:
    first, _, redis = pair
    redis.stop()
    try:
        async with httpx.AsyncClient() as client:
            response = await client.post(f"{first.url}/graphql", json={"query": VERTICALS})
            metrics = (await client.get(f"{first.url}/metrics")).text
    finally:
        redis.start()
    assert response.status_code == 200
    assert 'redis_failures_total{use="rate_limit"}' in metrics
