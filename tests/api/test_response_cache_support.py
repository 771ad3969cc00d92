"""Helpers of the response cache suites: the cache's counters, answers' bytes, catalog writes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx

from app.domain.ids import to_global_id
from app.domain.products import Product
from app.services.container import Services
from tests.api.harness import Api, _on_server, next_seq, operation, unique
from tests.api.test_search_support import eventually

COUNTER = re.compile(r'^graphql_response_cache_total\{outcome="(hit|miss)"\} ([0-9.e+]+)$', re.MULTILINE)


@asynccontextmanager
async def clients(*servers: Api) -> AsyncIterator[None]:
    """Each server's client made on the running test's event loop, closed after the block."""
    for server in servers:
        server.__post_init__()
    try:
        yield
    finally:
        for server in servers:
            await server.client.aclose()


async def cache_counts(api: Api) -> dict[str, float]:
    """The process's hits and misses (instances served by one test process share the counters)."""
    text = (await api.client.get("/metrics")).text
    counts = {"hit": 0.0, "miss": 0.0}
    counts.update({outcome: float(value) for outcome, value in COUNTER.findall(text)})
    return counts


def data_bytes(response: httpx.Response) -> bytes:
    """The `data` member exactly as sent: the body is `{"data":…,"extensions":…}` when it has no errors."""
    content = response.content
    assert content.startswith(b'{"data":'), content[:80]
    return content[len(b'{"data":') : content.rindex(b',"extensions":')]


def cost_of(response: httpx.Response) -> dict[str, Any]:
    cost: dict[str, Any] = response.json()["extensions"]["cost"]
    return {k: v for k, v in cost.items() if k != "throttleStatus"}


async def reference_data(
    reference: Api,
    expected: bytes,
    name: str,
    variables: dict[str, Any],
    headers: dict[str, str] | None = None,
    comment: str = "",
) -> bytes:
    """The reference instance's `data`, asked until it is `expected` for at most 2 s: on the embedded
    shape its search reader sees the serving instance's index writes up to half a second later."""
    response = await eventually(
        lambda: ask(reference, name, variables, headers, comment), lambda r: data_bytes(r) == expected
    )
    return data_bytes(response)


async def ask(
    api: Api,
    name: str,
    variables: dict[str, Any],
    headers: dict[str, str] | None = None,
    comment: str = "",
) -> httpx.Response:
    """A contract operation, anonymous. A `comment` makes another document of the same meaning: a
    key no earlier test filled (an entry may be up to a minute older than what it shows)."""
    text = operation(name) + (f"# {comment}\n" if comment else "")
    return await api.post(text, variables, headers=headers, operation_name=name)


def services(api: Api) -> Services:
    assert api.state.runner is not None
    return api.state.runner.services


async def product(api: Api, key: str) -> Product:
    repos = api.state.engines.ports.repos  # type: ignore[union-attr]
    [found] = await _on_server(api, repos.products.get_many([key]))
    assert found is not None
    return found


async def new_product(api: Api, template_key: str = "p-0000001", **changes: Any) -> Product:
    """A copy of a seeded product under a key of this test, written through the catalog use case."""
    made = replace(await product(api, template_key), key=unique("p"), seq=next_seq(), **changes)
    await _on_server(api, services(api).catalog.put_product(made))
    await api.drain_outbox()
    return made


async def retitle(api: Api, key: str, title: str) -> Product:
    """Gives the product a new English title through the catalog; returns it as it was."""
    before = await product(api, key)
    await _on_server(
        api, services(api).catalog.put_product(replace(before, titles={**before.titles, "en": title}))
    )
    return before


def page_variables(key: str, network: str = "WIFI") -> dict[str, Any]:
    return {"id": to_global_id("Product", key), "network": network}
