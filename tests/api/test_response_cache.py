"""The response cache of anonymous public reads over HTTP: a hit is what graphql-core computes, the key
separates what changes an answer, signed-in requests never touch it, writes are seen after the outbox.

Hits and misses are read from `/metrics`. The reference is a second instance on the same engines with
the cache off and the compiled plans off (graphql-core's own executor).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

from app.domain.ids import from_global_id, to_global_id
from tests.api.harness import Api, _on_server, next_seq, serve, unique
from tests.api.test_articles_support import article_input, published
from tests.api.test_catalog_products import seeded_product
from tests.api.test_catalog_suppliers import supplier_with_products
from tests.api.test_feeds_support import event, track
from tests.api.test_response_cache_support import (
    ask,
    cache_counts,
    clients,
    cost_of,
    data_bytes,
    new_product,
    page_variables,
    product,
    reference_data,
    retitle,
    services,
)

CACHED_OPERATIONS = ["ProductPage", "SupplierPage", "Verticals", "Trending", "ArticlePage"]


@pytest.fixture(scope="module")
def reference_server(api_server: Api) -> Iterator[Api]:
    settings = api_server.settings
    with serve(
        Path(settings.var_dir),
        seed=False,
        store_url=settings.store_url,
        search_url=settings.search_url,
        broker_url=settings.broker_url,
        worker_in_process=False,
        response_cache="off",
        compiled_plans=False,
    ) as reference:
        yield reference


@pytest.fixture
async def reference(reference_server: Api) -> AsyncIterator[Api]:
    async with clients(reference_server):
        yield reference_server


async def variables_of(api: Api, name: str) -> dict[str, Any]:
    if name == "ProductPage":
        return page_variables("p-0000003")
    if name == "SupplierPage":
        return {"id": to_global_id("Supplier", "s-000001"), "first": 5}
    if name == "Trending":
        await track(api, [event(to_global_id("Product", "p-0000003"))], api.token())
        return {"kind": "HOT", "first": 5}
    if name == "ArticlePage":
        listed = (await ask(api, "Articles", {"first": 1})).json()["data"]["articles"]["edges"]
        return {"id": listed[0]["node"]["id"]}
    return {}


@pytest.mark.parametrize("name", CACHED_OPERATIONS)
async def test_a_cached_answer_is_what_graphql_core_computes(api: Api, reference: Api, name: str) -> None:
    # given: the answer is in the cache
    variables, comment = await variables_of(api, name), unique("fresh")
    first = await ask(api, name, variables, comment=comment)
    before = await cache_counts(api)
    # when
    cached = await ask(api, name, variables, comment=comment)
    after = await cache_counts(api)
    expected = await ask(reference, name, variables, comment=comment)
    # then
    assert after["hit"] == before["hit"] + 1
    assert "errors" not in expected.json()
    assert all(orjson.loads(data_bytes(cached)).values()), "an empty answer proves little"
    assert data_bytes(cached) == data_bytes(first)
    shown = await reference_data(reference, data_bytes(cached), name, variables, comment=comment)
    assert shown == data_bytes(cached)
    assert cost_of(cached) == cost_of(expected)
    assert "throttleStatus" in cached.json()["extensions"]["cost"]


async def test_a_public_get_is_answered_from_the_cache_without_anyones_throttle_status(api: Api) -> None:
    # given
    params = {
        "query": "query Shelf { verticals { id slug name } }",
        "operationName": "Shelf",
        "variables": "{}",
    }
    first = await api.client.get("/graphql", params=params)
    before = await cache_counts(api)
    # when
    cached = await api.client.get("/graphql", params=params)
    # then
    assert (await cache_counts(api))["hit"] == before["hit"] + 1
    assert data_bytes(cached) == data_bytes(first)
    assert cached.headers["cache-control"] == "public, max-age=60"
    assert "throttleStatus" not in cached.json()["extensions"]["cost"]


async def test_locale_currency_and_variables_each_have_their_own_entry(api: Api, reference: Api) -> None:
    # given: a product with a Spanish title, asked in several ways
    translated = await seeded_product(api, lambda p: "es" in p.titles and p.has_video)
    ways = [
        ({"Accept-Language": "es"}, "WIFI"),
        ({}, "WIFI"),
        ({"X-Currency": "EUR"}, "WIFI"),
        ({}, "DATA_SAVER"),
    ]
    pages, comment = [], unique("fresh")
    for headers, network in ways:
        variables = page_variables(translated.key, network)
        await ask(api, "ProductPage", variables, headers, comment)
        # when: each asked again, from the cache
        cached = await ask(api, "ProductPage", variables, headers, comment)
        # then: each is what graphql-core answers to the same request
        expected = await reference_data(
            reference, data_bytes(cached), "ProductPage", variables, headers, comment
        )
        assert data_bytes(cached) == expected
        pages.append(cached.json()["data"]["product"])
    spanish, english, euros, saver = pages
    assert spanish["title"] == translated.titles["es"]
    assert english["title"] == translated.titles["en"]
    assert {euros["priceRange"]["min"]["currency"], english["priceRange"]["min"]["currency"]} == {
        "EUR",
        "USD",
    }
    assert [s["height"] for s in saver["media"][0]["sources"]] == [360]
    assert len(english["media"][0]["sources"]) > 1


async def test_equivalent_headers_share_an_entry(api: Api) -> None:
    # given: asked with one way of saying Spanish and euros
    variables = page_variables("p-0000005")
    first = await ask(api, "ProductPage", variables, {"Accept-Language": "es", "X-Currency": "eur"})
    before = await cache_counts(api)
    # when: another way of saying the same
    same = await ask(
        api, "ProductPage", variables, {"Accept-Language": "es-ES,es;q=0.9,en;q=0.1", "X-Currency": "EUR"}
    )
    # then
    assert (await cache_counts(api))["hit"] == before["hit"] + 1
    assert data_bytes(same) == data_bytes(first)


async def test_a_signed_in_request_is_neither_answered_from_nor_stored_in_the_cache(api: Api) -> None:
    # given: a product no one has read yet, and a buyer who saves it
    fresh = await new_product(api)
    variables = page_variables(fresh.key)
    buyer = api.token()
    before = await cache_counts(api)
    await ask_signed_in(api, variables, buyer)
    # when
    anonymous = (await ask(api, "ProductPage", variables)).json()["data"]["product"]
    middle = await cache_counts(api)
    await api.gql("SaveProduct", {"id": variables["id"]}, token=buyer)
    signed_in = await ask_signed_in(api, variables, buyer)
    after = await cache_counts(api)
    # then: the buyer's read stored nothing (the anonymous one missed), the buyer's second read is theirs
    assert middle == {"hit": before["hit"], "miss": before["miss"] + 1}
    assert after == middle
    assert anonymous["viewerHasSaved"] is False
    assert signed_in["viewerHasSaved"] is True
    assert (await ask(api, "ProductPage", variables)).json()["data"]["product"]["viewerHasSaved"] is False


async def ask_signed_in(api: Api, variables: dict[str, Any], token: str) -> dict[str, Any]:
    body = await api.gql("ProductPage", variables, token=token)
    assert "errors" not in body
    page: dict[str, Any] = body["data"]["product"]
    return page


async def test_a_product_write_is_seen_by_the_next_anonymous_read_after_the_outbox(
    api: Api, reference: Api
) -> None:
    # given: the product's page is cached
    fresh = await new_product(api)
    variables = page_variables(fresh.key)
    await ask(api, "ProductPage", variables)
    await ask(api, "ProductPage", variables)
    # when
    await retitle(api, fresh.key, "Retitled lamp " + unique("t"))
    await api.drain_outbox()
    # then
    page = await ask(api, "ProductPage", variables)
    assert page.json()["data"]["product"]["title"].startswith("Retitled lamp ")
    assert await reference_data(reference, data_bytes(page), "ProductPage", variables) == data_bytes(page)


async def test_a_product_shown_only_as_related_is_fresh_on_the_pages_that_show_it(api: Api) -> None:
    # given: a cached page whose related products include a seeded one
    variables = page_variables("p-0000007")
    await ask(api, "ProductPage", variables)
    related = (await ask(api, "ProductPage", variables)).json()["data"]["product"]["related"]
    shown = related[0]["id"]
    _, key = from_global_id(shown)
    title = "Related retitled " + unique("t")
    # when
    before = await retitle(api, key, title)
    try:
        await api.drain_outbox()
        page = (await ask(api, "ProductPage", variables)).json()["data"]["product"]
    finally:
        # (the app is shared by the session: the product goes back as it was)
        await _on_server(api, services(api).catalog.put_product(before))
        await api.drain_outbox()
    # then
    assert {r["id"]: r["title"] for r in page["related"]}[shown] == title


async def test_a_supplier_write_is_seen_on_its_pages_and_its_products_pages(api: Api) -> None:
    # given: the supplier's page and its product's page are cached
    supplier, [key] = await supplier_with_products(api, 1)
    await api.drain_outbox()
    pages = [
        ("SupplierPage", {"id": to_global_id("Supplier", supplier.key), "first": 5}),
        ("ProductPage", page_variables(key)),
    ]
    for name, variables in pages * 2:
        await ask(api, name, variables)
    # when
    renamed = replace(supplier, name=unique("Renamed supplier"))
    await _on_server(api, services(api).catalog.put_supplier(renamed))
    await api.drain_outbox()
    # then
    supplier_page, product_page = [(await ask(api, name, v)).json()["data"] for name, v in pages]
    assert supplier_page["supplier"]["name"] == renamed.name
    assert product_page["product"]["supplier"]["name"] == renamed.name


async def test_an_article_update_and_unpublish_are_seen_by_the_next_anonymous_read(api: Api) -> None:
    # given: a published article's page is cached
    editor = api.token(role="editor")
    article = await published(api, editor)
    await api.drain_outbox()
    variables = {"id": article["id"]}
    await ask(api, "ArticlePage", variables)
    await ask(api, "ArticlePage", variables)
    # when
    title = "Updated trend " + unique("t")
    update = {"id": article["id"], "input": article_input(title), "expectedRevision": 2}
    assert (await api.gql("UpdateArticle", update, token=editor))["data"]["updateArticle"]["userErrors"] == []
    await api.drain_outbox()
    updated = (await ask(api, "ArticlePage", variables)).json()["data"]["article"]
    await api.gql("UnpublishArticle", {"id": article["id"]}, token=editor)
    await api.drain_outbox()
    # then
    assert updated["title"] == title
    assert (await ask(api, "ArticlePage", variables)).json()["data"]["article"] is None


async def test_an_answer_with_errors_is_not_stored(api: Api) -> None:
    # given
    query = "query TooMany($id: ID!) { product(id: $id) { id related(first: 101) { id } } }"
    variables = {"id": to_global_id("Product", "p-0000002")}
    before = await cache_counts(api)
    # when
    answers = [(await api.post(query, variables)).json() for _ in range(2)]
    # then
    assert [a["errors"][0]["extensions"]["code"] for a in answers] == ["BAD_USER_INPUT"] * 2
    assert await cache_counts(api) == {"hit": before["hit"], "miss": before["miss"] + 2}


async def test_a_product_read_before_it_exists_shows_once_it_is_written(api: Api) -> None:
    # given: the page of a product not there yet, cached as null
    key = unique("p")
    variables = page_variables(key)
    await ask(api, "ProductPage", variables)
    absent = await ask(api, "ProductPage", variables)
    # when
    template = await product(api, "p-0000001")
    await _on_server(api, services(api).catalog.put_product(replace(template, key=key, seq=next_seq())))
    await api.drain_outbox()
    # then
    assert orjson.loads(data_bytes(absent)) == {"product": None}
    assert (await ask(api, "ProductPage", variables)).json()["data"]["product"]["id"] == variables["id"]
