"""The search server stopped (frozen with SIGSTOP, so its in-memory index survives), then thawed."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import pytest

from app.domain.ids import to_global_id
from tests.api.harness import unique
from tests.api.test_orders_support import ADDRESS
from tests.faults.cluster import Cluster, eventually

ARTICLES = 3


async def publish(cluster: Cluster, editor: str, title: str) -> None:
    article = {
        "title": title,
        "summary": "What buyers ask for this season.",
        "locale": "en",
        "blocks": [{"paragraph": "Desk lamps with USB-C ports sell out fast."}],
    }
    created = await cluster.gql(0, "CreateArticle", {"input": article}, token=editor)
    payload = created["data"]["createArticle"]
    assert payload["userErrors"] == [], payload
    published = await cluster.gql(1, "PublishArticle", {"id": payload["article"]["id"]}, token=editor)
    assert published["data"]["publishArticle"]["userErrors"] == [], published


async def found(cluster: Cluster, word: str) -> int:
    body = await cluster.gql(0, "SearchArticles", {"query": word, "first": 20})
    if body.get("errors"):
        return -1
    return len(body["data"]["searchArticles"]["edges"])


@dataclass
class Outage:
    """What the API answered while search was frozen, and how the index caught up after."""

    product_id: str
    page: dict[str, Any]
    order: dict[str, Any]
    orders: dict[str, Any]
    search: dict[str, Any]
    search_seconds: float
    ready: dict[str, Any]
    waiting: int
    word: str
    catch_up: float | None = None


@pytest.fixture(scope="module")
async def outage(cluster: Cluster) -> Outage:
    buyer, editor = cluster.token("buyer"), cluster.token("editor")
    product = cluster.store["products"].find_one({}, sort=[("_id", 1)], skip=150)
    assert product is not None
    product_id = to_global_id("Product", product["_id"])
    word = "zq" + secrets.token_hex(4)
    cluster.search.pause()
    try:
        page = await cluster.gql(0, "ProductPage", {"id": product_id, "network": "WIFI"}, token=buyer)
        order_input = {
            "productId": product_id,
            "quantity": product["tiers"][0][0],
            "shippingAddress": ADDRESS,
            "idempotencyKey": unique("key"),
        }
        order = await cluster.gql(1, "PlaceOrder", {"input": order_input}, token=buyer)
        orders = await cluster.gql(0, "MyOrders", {"first": 5}, token=buyer)
        started = time.monotonic()
        search = await cluster.gql(1, "SearchProducts", {"query": "lamp", "first": 5}, token=buyer)
        search_seconds = time.monotonic() - started
        for index in range(ARTICLES):
            await publish(cluster, editor, f"Trend {word} number {index}")
        ready = await cluster.get(0, "/readyz")
        waiting = cluster.store["outbox"].count_documents(
            {"kind": {"$regex": "index"}, "status": {"$in": ["pending", "leased"]}}
        )
    finally:
        cluster.search.resume()
    seen = Outage(
        product_id, page, order, orders, search, search_seconds,
        {"status": ready.status_code, **ready.json()}, waiting, word,
    )  # fmt: skip

    async def caught_up() -> bool:
        return await found(cluster, word) == ARTICLES

    try:
        seen.catch_up = await eventually(
            caught_up, 60, "the index writes made during the outage", interval=0.5
        )
    except AssertionError:
        seen.catch_up = None
    answered = [(e["extensions"]["code"], e["message"]) for e in search["errors"]]
    again = "never" if seen.catch_up is None else f"{seen.catch_up:.1f} s"
    print(
        f"\nsearch frozen: SearchProducts answered {answered}"
        f" in {search_seconds:.1f} s; ProductPage {[e['message'] for e in page.get('errors', [])]};"
        f" /readyz {ready.status_code} {ready.json()['problems']}; {waiting} index writes waited;"
        f" searchable again {again} after the thaw"
    )
    return seen


async def test_product_pages_still_work_with_search_down(outage: Outage) -> None:
    assert outage.page.get("errors") is None, outage.page
    assert outage.page["data"]["product"]["id"] == outage.product_id


async def test_orders_are_placed_and_listed_with_search_down(outage: Outage) -> None:
    assert outage.order["data"]["placeOrder"]["userErrors"] == [], outage.order
    placed = outage.order["data"]["placeOrder"]["order"]["id"]
    assert [e["node"]["id"] for e in outage.orders["data"]["viewer"]["orders"]["edges"]] == [placed]


async def test_search_answers_a_clear_error_with_search_down(outage: Outage) -> None:
    assert not (outage.search.get("data") or {}).get("searchProducts"), outage.search
    assert [e["extensions"]["code"] for e in outage.search["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert "Traceback" not in str(outage.search)
    assert outage.ready["status"] == 200 and "search" in outage.ready["problems"], outage.ready


async def test_index_writes_wait_in_the_outbox_and_none_is_lost_when_search_returns(
    cluster: Cluster, outage: Outage
) -> None:
    assert outage.waiting >= ARTICLES
    assert outage.catch_up is not None, "the articles published during the outage never became searchable"
    in_store = cluster.store["articles"].count_documents(
        {"status": "PUBLISHED", "texts.en.title": {"$regex": outage.word}}
    )
    assert in_store == ARTICLES == await found(cluster, outage.word)
