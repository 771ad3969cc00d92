"""Helpers of the search API suites: every product through the API, brute-force filters, store counts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

from tests.api.harness import Api, _on_server

T = TypeVar("T")
# CONTRACT.md section 5: a change is visible to search within 2 seconds.
FRESH_WITHIN_SECONDS = 2.0

ALL_PRODUCTS = """
query AllProducts($after: String, $filter: ProductFilter, $sort: ProductSort) {
  searchProducts(filter: $filter, sort: $sort, first: 100, after: $after) {
    totalCount
    edges { cursor node {
      id title hasVideo tradeAssurance
      priceRange { min { amount currency } max { amount currency } }
      moq { value }
      vertical { id name }
      supplier { id country verified }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def every_product(
    api: Api,
    headers: dict[str, str] | None = None,
    filter: dict[str, Any] | None = None,
    sort: str = "NEWEST",
) -> list[dict[str, Any]]:
    """Follows endCursor to the end; fails on an error or a product seen twice."""
    nodes: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        body = (
            await api.post(ALL_PRODUCTS, {"after": after, "filter": filter, "sort": sort}, headers=headers)
        ).json()
        assert "errors" not in body, body["errors"]
        found = body["data"]["searchProducts"]
        nodes += [edge["node"] for edge in found["edges"]]
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    ids = [n["id"] for n in nodes]
    assert len(ids) == len(set(ids)), "a product was repeated across pages"
    return nodes


async def store_product_count(api: Api) -> int:
    repos = api.state.engines.ports.repos  # type: ignore[union-attr]
    count: int = await _on_server(api, repos.products.count())
    return count


async def search_products(
    api: Api, variables: dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """The contract's SearchProducts operation; returns `data.searchProducts`, asserting no errors."""
    body = await api.gql("SearchProducts", {"first": 20, **variables}, headers=headers)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]["searchProducts"]
    return result


def low_price(node: dict[str, Any]) -> Decimal:
    return Decimal(node["priceRange"]["min"]["amount"])


def high_price(node: dict[str, Any]) -> Decimal:
    return Decimal(node["priceRange"]["max"]["amount"])


def matches(node: dict[str, Any], chosen: dict[str, Any]) -> bool:
    """The contract's filter semantics, written out plainly over one product."""
    checks = [
        chosen.get("vertical") in (None, node["vertical"]["id"]),
        chosen.get("priceMin") is None or low_price(node) >= Decimal(str(chosen["priceMin"])),
        chosen.get("priceMax") is None or low_price(node) <= Decimal(str(chosen["priceMax"])),
        chosen.get("maxMoq") is None or node["moq"]["value"] <= chosen["maxMoq"],
        chosen.get("hasVideo") in (None, node["hasVideo"]),
        chosen.get("verifiedSupplier") in (None, node["supplier"]["verified"]),
        chosen.get("tradeAssurance") in (None, node["tradeAssurance"]),
        not chosen.get("supplierCountries") or node["supplier"]["country"] in chosen["supplierCountries"],
    ]
    return all(checks)


async def eventually(read: Callable[[], Awaitable[T]], done: Callable[[T], bool]) -> T:
    """Reads until `done` holds, starting reads for the 2 seconds the contract allows; returns the last
    read. A read that began in time counts however long it takes (a read of every page is slow on the
    distributed shape)."""
    deadline = time.monotonic() + FRESH_WITHIN_SECONDS
    while True:
        began = time.monotonic()
        value = await read()
        if done(value) or began > deadline:
            return value
        await asyncio.sleep(0.05)
