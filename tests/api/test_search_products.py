"""searchProducts over HTTP: exact filters and counts, disjunctive facets, sorts and keyset paging."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from tests.api.harness import Api
from tests.api.test_search_support import (
    every_product,
    high_price,
    low_price,
    matches,
    search_products,
    store_product_count,
)

ZH = {"Accept-Language": "zh-CN"}


async def test_listing_without_a_query_pages_every_product_once_and_counts_them_exactly(api: Api) -> None:
    # given
    expected = await store_product_count(api)
    # when
    nodes = await every_product(api)
    first = await search_products(api, {"first": 5})
    # then
    assert len(nodes) == expected
    assert first["totalCount"] == expected


def _filters(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Filter combinations drawn from the data, bounds set on real values to test inclusiveness."""
    rng = random.Random(11)
    picks = rng.sample(nodes, 6)
    prices = sorted({low_price(n) for n in nodes})
    countries = sorted({n["supplier"]["country"] for n in nodes})
    # A bound on a picked price and one on the third quartile, whichever way round they fall.
    low, high = sorted((low_price(picks[0]), prices[len(prices) * 3 // 4]))
    return [
        {"priceMin": str(low), "priceMax": str(high)},
        {"priceMin": str(low_price(picks[1])), "priceMax": str(low_price(picks[1]))},
        {"maxMoq": picks[2]["moq"]["value"], "hasVideo": True},
        {"verifiedSupplier": True, "tradeAssurance": False},
        {"supplierCountries": [c.lower() for c in countries[:2]], "hasVideo": False},
        {"vertical": picks[3]["vertical"]["id"], "priceMax": str(low_price(picks[3]))},
        {
            "vertical": picks[4]["vertical"]["id"],
            "verifiedSupplier": picks[4]["supplier"]["verified"],
            "tradeAssurance": picks[4]["tradeAssurance"],
            "maxMoq": picks[4]["moq"]["value"],
            "supplierCountries": [picks[4]["supplier"]["country"]],
        },
    ]


async def test_every_result_satisfies_every_filter_and_the_count_is_exact(api: Api) -> None:
    # given
    nodes = await every_product(api)
    for chosen in _filters(nodes):
        expected = {n["id"] for n in nodes if matches(n, {**chosen, "supplierCountries": _upper(chosen)})}
        # when
        found = await every_product(api, filter=chosen)
        first = await search_products(api, {"filter": chosen, "first": 3})
        # then
        assert expected, chosen
        assert {n["id"] for n in found} == expected, chosen
        assert first["totalCount"] == len(expected), chosen


def _upper(chosen: dict[str, Any]) -> list[str] | None:
    codes = chosen.get("supplierCountries")
    return [c.upper() for c in codes] if codes else None


async def test_price_bounds_apply_to_the_lowest_price_shown_in_the_display_currency(api: Api) -> None:
    # given: prices shown in euros
    euros = {"X-Currency": "EUR"}
    nodes = await every_product(api, headers=euros)
    prices = sorted(low_price(n) for n in nodes)
    chosen = {"priceMin": str(prices[len(prices) // 4]), "priceMax": str(prices[len(prices) // 2])}
    # when
    found = await every_product(api, headers=euros, filter=chosen)
    # then
    assert {n["id"] for n in found} == {n["id"] for n in nodes if matches(n, chosen)}
    assert all(n["priceRange"]["min"]["currency"] == "EUR" for n in found)


async def test_price_min_above_price_max_is_bad_user_input(api: Api) -> None:
    # when
    body = await api.gql("SearchProducts", {"first": 5, "filter": {"priceMin": "10.00", "priceMax": "9.99"}})
    # then
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


async def test_facets_count_every_filter_but_their_own(api: Api) -> None:
    # given
    nodes = await every_product(api)
    country = Counter(n["supplier"]["country"] for n in nodes).most_common(1)[0][0]
    chosen = {"hasVideo": True, "supplierCountries": [country], "maxMoq": 500}
    # when
    found = await search_products(api, {"filter": chosen, "first": 1})
    # then
    facets = {f["field"]: {b["value"]: b["count"] for b in f["buckets"]} for f in found["facets"]}
    assert list(facets) == ["vertical", "supplierCountry", "hasVideo", "tradeAssurance"]

    def counted(field: str, value: Any, without: str | None) -> Counter[Any]:
        kept = {k: v for k, v in chosen.items() if k != without}
        return Counter(value(n) for n in nodes if matches(n, kept))

    assert facets["hasVideo"] == {
        str(k).lower(): c for k, c in counted("hasVideo", lambda n: n["hasVideo"], "hasVideo").items()
    }
    assert facets["supplierCountry"] == dict(
        counted("c", lambda n: n["supplier"]["country"], "supplierCountries")
    )
    assert facets["vertical"] == dict(counted("v", lambda n: n["vertical"]["id"], None))
    assert facets["tradeAssurance"] == {
        str(k).lower(): c for k, c in counted("t", lambda n: n["tradeAssurance"], None).items()
    }
    assert set(facets["hasVideo"]) == {"true", "false"}


async def test_facet_labels_are_in_the_asked_language(api: Api) -> None:
    # given
    nodes = await every_product(api, headers=ZH)
    names = {n["vertical"]["id"]: n["vertical"]["name"] for n in nodes}
    # when
    found = await search_products(api, {"first": 1}, headers=ZH)
    # then
    facets = {f["field"]: {b["value"]: b["label"] for b in f["buckets"]} for f in found["facets"]}
    assert facets["vertical"] == {value: names[value] for value in facets["vertical"]}
    assert facets["supplierCountry"]["CN"] == "中国"
    assert facets["hasVideo"] == {"true": "是", "false": "否"}
    assert all(len(f["buckets"]) <= 50 for f in found["facets"])


async def test_price_sorts_order_by_lowest_and_highest_price_and_page_stably(api: Api) -> None:
    # when
    ascending = await every_product(api, sort="PRICE_ASC")
    descending = await every_product(api, sort="PRICE_DESC")
    again = await every_product(api, sort="PRICE_ASC")
    # then
    lows = [low_price(n) for n in ascending]
    highs = [high_price(n) for n in descending]
    assert lows == sorted(lows)
    assert highs == sorted(highs, reverse=True)
    assert [n["id"] for n in again] == [n["id"] for n in ascending]
    assert len(ascending) == len(descending) == await store_product_count(api)


async def test_newest_and_popular_follow_the_store_and_relevance_without_text_is_popular(api: Api) -> None:
    # given
    products = await _store_products(api)
    created = {_gid(p.key): p.created_at // 1000 for p in products}
    popular = sorted(products, key=lambda p: (p.popularity, p.seq), reverse=True)
    # when
    by_newest = await every_product(api, sort="NEWEST")
    by_popular = await every_product(api, sort="POPULAR")
    by_relevance = await every_product(api, sort="RELEVANCE")
    # then
    # tantivy sorts NEWEST by the second a product was created (its sort key packs seconds and seq),
    # Elasticsearch by the millisecond: both are newest first to the second, each product once.
    seconds = [created[n["id"]] for n in by_newest]
    assert seconds == sorted(seconds, reverse=True)
    assert sorted(n["id"] for n in by_newest) == sorted(created)
    assert [n["id"] for n in by_popular] == [_gid(p.key) for p in popular]
    assert [n["id"] for n in by_relevance] == [n["id"] for n in by_popular]


async def _store_products(api: Api) -> list[Any]:
    from tests.api.harness import _on_server

    repos = api.state.engines.ports.repos  # type: ignore[union-attr]
    batches: list[Any] = []

    async def read() -> None:
        async for batch in repos.products.batches(1000):
            batches.extend(batch)

    await _on_server(api, read())
    return batches


def _gid(key: str) -> str:
    from app.domain.ids import to_global_id

    return to_global_id("Product", key)


async def test_a_cursor_is_refused_under_another_sort_or_filter(api: Api) -> None:
    # given
    page = await search_products(api, {"first": 2, "sort": "PRICE_ASC"})
    cursor = page["pageInfo"]["endCursor"]
    # when
    other_sort = await api.gql("SearchProducts", {"first": 2, "after": cursor, "sort": "NEWEST"})
    other_filter = await api.gql(
        "SearchProducts", {"first": 2, "after": cursor, "sort": "PRICE_ASC", "filter": {"hasVideo": True}}
    )
    same = await api.gql("SearchProducts", {"first": 2, "after": cursor, "sort": "PRICE_ASC"})
    # then
    assert other_sort["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert other_filter["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "errors" not in same


async def test_store_and_search_calls_do_not_grow_with_the_page_size(api: Api) -> None:
    # Asked once before, with no write pending: how many calls a batch takes depends on what the
    # entity memo holds and whether its collection changed since.
    await api.drain_outbox()
    await api.gql("SearchProducts", {"first": 2, "query": "steel"})
    await api.gql("SearchProducts", {"first": 50})
    # when
    small = await api.gql("SearchProducts", {"first": 2, "query": "steel"})
    large = await api.gql("SearchProducts", {"first": 50})
    # then
    assert small["extensions"]["stats"]["searchCalls"] == large["extensions"]["stats"]["searchCalls"] == 1
    assert large["extensions"]["stats"]["storeCalls"] == small["extensions"]["stats"]["storeCalls"]
    assert large["extensions"]["stats"]["storeCalls"] <= 5
    assert len(large["data"]["searchProducts"]["edges"]) == 50


async def test_first_zero_gives_no_edges_but_the_count_and_facets(api: Api) -> None:
    # when
    found = await search_products(api, {"first": 0})
    # then
    assert found["edges"] == []
    assert found["totalCount"] == await store_product_count(api)
    assert found["pageInfo"]["hasNextPage"] is True
    assert sum(b["count"] for b in found["facets"][2]["buckets"]) == found["totalCount"]
