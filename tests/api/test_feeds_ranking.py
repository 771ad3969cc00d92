"""feed: verticals, reasons, concentration on a buyer's main vertical, followed suppliers (CONTRACT.md 6)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

from app.domain.ids import to_global_id
from app.domain.ranking import DAY_MS
from tests.api.harness import Api
from tests.api.test_feeds_support import (
    broad_verticals,
    event,
    feed,
    node_verticals,
    on_server,
    ports,
    products_of,
    track,
    verticals,
)

REASONS = {"INTEREST", "TRENDING", "RISING", "NEW", "EDITORIAL", "SAVED_SIMILAR", "EXPLORE"}


async def test_anonymous_feed_blends_products_articles_and_suppliers_of_many_verticals(api: Api) -> None:
    # when
    page = await feed(api)
    # then
    edges = page["edges"]
    assert len(edges) == 20
    assert {e["node"]["__typename"] for e in edges} == {"Product", "Article", "Supplier"}
    assert len(set().union(*(node_verticals(e["node"]) for e in edges))) >= 5
    assert all(e["reason"]["code"] in REASONS and e["reason"]["text"] for e in edges)
    assert page["pageInfo"]["hasNextPage"] is True


async def test_reasons_are_written_in_the_viewers_language(api: Api) -> None:
    english = await feed(api, first=5)
    chinese = (await api.gql("Feed", {"first": 5}, headers={"Accept-Language": "zh-CN"}))["data"]["feed"]
    assert english["edges"][0]["reason"]["text"] != chinese["edges"][0]["reason"]["text"]


async def test_a_vertical_feed_holds_only_that_vertical(api: Api) -> None:
    for vertical in (await verticals(api))[:3]:
        # when
        page = await feed(api, vertical=vertical["id"], first=40)
        # then
        assert page["edges"]
        assert all(vertical["id"] in node_verticals(e["node"]) for e in page["edges"])


async def test_an_unknown_vertical_is_bad_user_input(api: Api) -> None:
    for bad in (to_global_id("Vertical", "v-nowhere"), to_global_id("Product", "p-0000001"), "zzz"):
        body = await api.gql("Feed", {"vertical": bad, "first": 5})
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_buyer_concentrated_on_one_vertical_gets_it_in_40_percent_with_two_others(api: Api) -> None:
    # given
    [main, other] = await broad_verticals(api, 2)
    buyer, bystander = api.token(role="buyer"), api.token(role="buyer")
    before = await feed(api, bystander)
    viewed = await products_of(api, main, 12) + await products_of(api, other, 4)
    # when
    await track(api, [event(p["id"]) for p in viewed], buyer)
    page = await feed(api, buyer)
    after = await feed(api, bystander)
    # then
    edges = page["edges"]
    assert len(edges) == 20
    from_main = [e for e in edges if main in node_verticals(e["node"])]
    assert len(from_main) >= 8
    others = set().union(*(node_verticals(e["node"]) for e in edges if main not in node_verticals(e["node"])))
    assert len(others) >= 2
    assert any(e["reason"]["code"] == "INTEREST" for e in from_main)
    share = [sum(main in node_verticals(e["node"]) for e in p["edges"]) for p in (before, after)]
    assert abs(share[0] - share[1]) <= 1
    assert all(e["reason"]["code"] != "INTEREST" for e in after["edges"])


async def test_saved_products_leave_the_buyers_feed(api: Api) -> None:
    # given
    buyer = api.token(role="buyer")
    first = await feed(api, buyer, first=10)
    product = next(e["node"] for e in first["edges"] if e["node"]["__typename"] == "Product")
    saved = await api.gql("SaveProduct", {"id": product["id"]}, token=buyer)
    assert saved["data"]["saveProduct"]["userErrors"] == []
    # when
    again = await feed(api, buyer, first=40)
    # then
    assert product["id"] not in {e["node"]["id"] for e in again["edges"]}


async def test_new_buyers_get_trending_and_new_items(api: Api) -> None:
    page = await feed(api, api.token(role="buyer"))
    codes = Counter(e["reason"]["code"] for e in page["edges"])
    assert set(codes) <= {"TRENDING", "RISING", "NEW", "EDITORIAL"}
    assert codes["TRENDING"] + codes["RISING"] + codes["NEW"] >= 10


async def test_store_calls_of_a_feed_page_do_not_grow_with_first(api: Api) -> None:
    token = api.token(role="buyer")
    small = await api.gql("Feed", {"first": 5}, token=token)
    large = await api.gql("Feed", {"first": 50}, token=token)
    assert len(large["data"]["feed"]["edges"]) == 50
    assert large["extensions"]["stats"]["storeCalls"] <= small["extensions"]["stats"]["storeCalls"]


async def recent_products(api: Api) -> list[tuple[str, str]]:
    """(product id, supplier id) of products created in the last 12 days, read off the server's store."""
    products = ports(api).repos.database.collection("products")
    since = int(time.time() * 1000) - 12 * DAY_MS
    docs = await on_server(api, _all(products.find({"created_at": {"$gte": since}})))
    return [(to_global_id("Product", d["_id"]), to_global_id("Supplier", d["supplier_key"])) for d in docs]


async def _all(found: AsyncIterator[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d async for d in found]


async def test_new_products_of_a_followed_supplier_rank_higher(api: Api) -> None:
    # given
    theirs = [e["node"]["id"] for e in (await feed(api, api.token(role="buyer"), first=50))["edges"]]
    recent = await recent_products(api)
    product, supplier = next((p, s) for p, s in recent if p not in theirs[:10])
    buyer = api.token(role="buyer")
    followed = await api.gql("FollowSupplier", {"id": supplier}, token=buyer)
    assert followed["data"]["followSupplier"]["userErrors"] == []
    # when
    mine = (await feed(api, buyer, first=50))["edges"]
    # then
    position = [e["node"]["id"] for e in mine].index(product)
    assert mine[position]["reason"] == {"code": "NEW", "text": "New from a supplier you follow"}
    assert position < 10
