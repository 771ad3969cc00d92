"""Saving products and following suppliers twice at once: no failure, each kept once, interest moved once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.api.harness import Api, _on_server
from tests.api.test_feeds_support import viewer_key
from tests.api.test_orders_support import listing


async def interests_of(api: Api, user_key: str) -> dict[str, Any]:
    interests = api.state.engines.ports.repos.database.collection("interests")  # type: ignore[union-attr]
    doc: dict[str, Any] = await _on_server(api, interests.find_one({"user_key": user_key}))
    return doc


async def test_saving_products_twice_at_once_keeps_each_once_and_counts_its_interest_once(api: Api) -> None:
    # given a buyer and two products (of two suppliers)
    token = api.token(role="buyer")
    key = await viewer_key(api, token)
    first, second = await listing(api), await listing(api)
    # when the app saves each twice at the same moment (a double tap, a retry)
    bodies = await asyncio.gather(
        *(api.gql("SaveProduct", {"id": item.product_id}, token=token) for item in (first, second) * 2)
    )
    # then every request succeeds, each product is saved once, and each supplier's interest
    # moved by one save (SAVE weighs 3)
    assert [b.get("errors") for b in bodies] == [None] * 4
    assert all(b["data"]["saveProduct"]["product"]["viewerHasSaved"] for b in bodies)
    saved = (await api.gql("Saved", {"first": 10}, token=token))["data"]["viewer"]["saved"]["edges"]
    assert sorted(e["node"]["id"] for e in saved) == sorted([first.product_id, second.product_id])
    weights = (await interests_of(api, key))["suppliers"]
    assert weights == {
        first.supplier_key: pytest.approx(3.0, rel=1e-3),
        second.supplier_key: pytest.approx(3.0, rel=1e-3),
    }


async def test_following_a_supplier_twice_at_once_follows_it_once(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    key = await viewer_key(api, token)
    item = await listing(api)
    # when
    bodies = await asyncio.gather(
        *(api.gql("FollowSupplier", {"id": item.supplier_id}, token=token) for _ in range(3))
    )
    # then (FOLLOW weighs 3: counted once)
    assert [b.get("errors") for b in bodies] == [None] * 3
    assert all(b["data"]["followSupplier"]["supplier"]["viewerFollows"] for b in bodies)
    following = (await api.gql("Following", {"first": 10}, token=token))["data"]["viewer"]["following"]
    assert [e["node"]["id"] for e in following["edges"]] == [item.supplier_id]
    assert (await interests_of(api, key))["suppliers"] == {item.supplier_key: pytest.approx(3.0, rel=1e-3)}
