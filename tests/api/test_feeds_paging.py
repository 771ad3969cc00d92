"""feed paging: pinned snapshots, no repeats, diversity across pages, expired and foreign cursors."""

from __future__ import annotations

import base64
import itertools
import math
from collections import Counter
from typing import Any

import orjson

from tests.api.harness import Api
from tests.api.test_articles_support import published
from tests.api.test_feeds_support import feed, node_supplier, on_server, ports, verticals


def snapshot_of(cursor: str) -> str:
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    key: list[Any] = orjson.loads(raw[12:])
    return str(key[0])


def assert_diverse(edges: list[dict[str, Any]], first: int) -> None:
    suppliers = [node_supplier(e["node"]) for e in edges]
    counts = Counter(s for s in suppliers if s is not None)
    assert all(n <= math.ceil(first / 4) for n in counts.values()), counts


async def test_ten_pages_never_repeat_an_item_while_articles_are_published(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    vertical = (await verticals(api))[0]["id"]
    buyer = api.token(role="buyer")
    seen: list[str] = []
    suppliers: list[str | None] = []
    after = None
    # when
    for _ in range(10):
        page = await feed(api, buyer, first=20, after=after)
        edges = page["edges"]
        # then
        assert len(edges) == 20
        assert_diverse(edges, 20)
        seen += [e["node"]["id"] for e in edges]
        suppliers += [node_supplier(e["node"]) for e in edges]
        assert page["pageInfo"]["hasNextPage"] is True
        after = page["pageInfo"]["endCursor"]
        await published(api, editor, verticalId=vertical)
        await api.drain_outbox()
    assert len(seen) == len(set(seen)) == 200
    assert all(a is None or a != b for a, b in itertools.pairwise(suppliers))


async def test_no_supplier_follows_itself_across_pages_of_any_size(api: Api) -> None:
    after = None
    edges: list[dict[str, Any]] = []
    for first in (3, 5, 4, 7, 1, 2, 6):
        page = await feed(api, first=first, after=after)
        assert_diverse(page["edges"], first)
        edges += page["edges"]
        after = page["pageInfo"]["endCursor"]
    suppliers = [node_supplier(e["node"]) for e in edges]
    assert all(a is None or a != b for a, b in itertools.pairwise(suppliers))
    assert len({e["node"]["id"] for e in edges}) == len(edges) == 28


async def test_a_cursor_older_than_its_snapshot_is_cursor_expired(api: Api) -> None:
    # given
    page = await feed(api, first=5)
    cursor = page["pageInfo"]["endCursor"]
    snapshots = ports(api).repos.database.collection("feed_snapshots")
    await on_server(api, snapshots.update_one({"_id": snapshot_of(cursor)}, {"$set": {"expires_at": 1}}))
    # when
    body = await api.gql("Feed", {"first": 5, "after": cursor})
    # then
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["reason"] == "CURSOR_EXPIRED"


async def test_a_buyers_cursor_is_bound_to_them_and_an_anonymous_one_to_no_one(api: Api) -> None:
    # given
    buyer, other = api.token(role="buyer"), api.token(role="buyer")
    mine = (await feed(api, buyer, first=5))["pageInfo"]["endCursor"]
    anonymous = (await feed(api, first=5))["pageInfo"]["endCursor"]
    # when
    stolen = await api.gql("Feed", {"first": 5, "after": mine}, token=other)
    signed_out = await api.gql("Feed", {"first": 5, "after": mine})
    shared = await api.gql("Feed", {"first": 5, "after": anonymous})
    # then
    for body in (stolen, signed_out):
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert "reason" not in body["errors"][0]["extensions"]
    assert len(shared["data"]["feed"]["edges"]) == 5


async def test_a_cursor_of_one_vertical_is_refused_by_another(api: Api) -> None:
    [one, two] = [v["id"] for v in (await verticals(api))[:2]]
    cursor = (await feed(api, vertical=one, first=3))["pageInfo"]["endCursor"]
    body = await api.gql("Feed", {"vertical": two, "first": 3, "after": cursor})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_first_zero_gives_no_edges_and_first_above_100_is_refused(api: Api) -> None:
    empty = await feed(api, first=0)
    assert empty["edges"] == []
    assert empty["pageInfo"]["endCursor"] is None
    body = (await api.post("query { feed(first: 101) { pageInfo { hasNextPage } } }")).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_newly_published_article_is_in_the_first_three_pages_of_its_vertical(api: Api) -> None:
    # given
    vertical = (await verticals(api))[5]["id"]
    article = await published(api, api.token(role="editor"), verticalId=vertical)
    await api.drain_outbox()
    # when
    buyer = api.token(role="buyer")
    found: list[str] = []
    after = None
    for _ in range(3):
        page = await feed(api, buyer, vertical=vertical, first=20, after=after)
        found += [e["node"]["id"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
    # then
    assert article["id"] in found
