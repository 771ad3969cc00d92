"""Product pages over HTTP: media, tiers, currency, language, related, null ids, round trips."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from itertools import pairwise
from typing import Any

from app.domain.ids import to_global_id
from app.domain.products import Product
from tests.api.harness import Api, _on_server
from tests.api.test_response_cache_support import new_product, retitle

SEEDED = [f"p-{i:07d}" for i in range(300)]


async def seeded_products(api: Api, keys: list[str] = SEEDED) -> list[Product]:
    repos = api.state.engines.ports.repos  # type: ignore[union-attr]
    found: list[Product | None] = await _on_server(api, repos.products.get_many(keys))
    return [p for p in found if p is not None]


async def seeded_product(api: Api, wanted: Callable[[Product], bool]) -> Product:
    return next(p for p in await seeded_products(api) if wanted(p))


async def product_page(api: Api, key: str, network: str = "WIFI", **kwargs: Any) -> dict[str, Any]:
    return await api.gql("ProductPage", {"id": to_global_id("Product", key), "network": network}, **kwargs)


async def test_product_page_shows_media_video_first_then_images_then_panorama(api: Api) -> None:
    # given
    product = await seeded_product(
        api, lambda p: p.has_video and any(m.kind.value == "panorama" for m in p.media)
    )
    # when
    body = await product_page(api, product.key)
    # then
    page = body["data"]["product"]
    kinds = [m["__typename"] for m in page["media"]]
    assert "errors" not in body
    assert page["hasVideo"] is True
    assert kinds[0] == "VideoMedia"
    assert kinds[-1] == "PanoramaMedia"
    assert set(kinds[1:-1]) == {"ImageMedia"}
    video = page["media"][0]
    assert video["hlsUrl"].endswith(".m3u8")
    assert video["durationSeconds"] > 0
    assert "/w1280/" in video["poster"]["url"]
    assert "/w1280/webp/" in page["coverImage"]["url"]


async def test_video_sources_follow_the_network(api: Api) -> None:
    # given
    product = await seeded_product(api, lambda p: p.has_video and 1080 in p.media[0].video.heights)  # type: ignore[union-attr]
    # when
    sources = {}
    for network in ("WIFI", "CELLULAR", "DATA_SAVER"):
        body = await product_page(api, product.key, network)
        sources[network] = body["data"]["product"]["media"][0]["sources"]
    # then
    assert [s["height"] for s in sources["WIFI"]] == [1080, 720, 480, 360]
    assert [s["height"] for s in sources["CELLULAR"]] == [720, 480, 360]
    assert [s["height"] for s in sources["DATA_SAVER"]] == [360]
    bitrates = [s["bitrateKbps"] for s in sources["WIFI"]]
    assert bitrates == sorted(bitrates, reverse=True)
    assert all(s["mimeType"] == "video/mp4" for s in sources["WIFI"])


async def test_price_tiers_are_contiguous_and_match_range_and_moq(api: Api) -> None:
    # given
    product = await seeded_product(api, lambda p: len(p.tiers) >= 3)
    # when
    page = (await product_page(api, product.key))["data"]["product"]
    # then
    tiers = page["priceTiers"]
    assert [t["minQuantity"] for t in tiers] == sorted(t["minQuantity"] for t in tiers)
    for tier, following in pairwise(tiers):
        assert tier["maxQuantity"] == following["minQuantity"] - 1
    assert tiers[-1]["maxQuantity"] is None
    amounts = [Decimal(t["unitPrice"]["amount"]) for t in tiers]
    assert Decimal(page["priceRange"]["min"]["amount"]) == min(amounts)
    assert Decimal(page["priceRange"]["max"]["amount"]) == max(amounts)
    assert page["moq"]["value"] == tiers[0]["minQuantity"]


async def test_anonymous_prices_follow_x_currency_converted_half_even(api: Api) -> None:
    # given: a product priced in US dollars; the demo table has 150 JPY and 0.92 EUR per USD
    product = await seeded_product(api, lambda p: p.currency == "USD")
    cents = sorted(product.tiers, key=lambda t: t.min_quantity)[0].unit_minor
    # when
    usd = (await product_page(api, product.key))["data"]["product"]
    jpy = (await product_page(api, product.key, headers={"X-Currency": "JPY"}))["data"]["product"]
    eur = (await product_page(api, product.key, headers={"X-Currency": "EUR"}))["data"]["product"]
    # then
    assert usd["priceTiers"][0]["unitPrice"] == {"amount": str(Decimal(cents).scaleb(-2)), "currency": "USD"}
    expected_yen = (Decimal(cents) * Decimal("1.5")).quantize(Decimal(1), rounding="ROUND_HALF_EVEN")
    assert jpy["priceTiers"][0]["unitPrice"] == {"amount": str(expected_yen), "currency": "JPY"}
    expected_eur = (
        (Decimal(cents) * Decimal("0.92")).quantize(Decimal(1), rounding="ROUND_HALF_EVEN").scaleb(-2)
    )
    assert eur["priceTiers"][0]["unitPrice"]["amount"] == str(expected_eur)
    assert (
        eur["supplier"]["tradeAssuranceLimit"] is None
        or eur["supplier"]["tradeAssuranceLimit"]["currency"] == "EUR"
    )


async def test_a_buyers_profile_currency_prices_the_catalog(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    update = "mutation($c: String!) { updateProfile(input: {currency: $c}) { userErrors { code } } }"
    assert (await api.post(update, {"c": "GBP"}, token=token)).json()["data"]["updateProfile"][
        "userErrors"
    ] == []
    product = await seeded_product(api, lambda p: True)
    # when: the header is ignored for a signed-in buyer with a profile currency
    page = (await product_page(api, product.key, token=token, headers={"X-Currency": "JPY"}))["data"][
        "product"
    ]
    # then
    assert {t["unitPrice"]["currency"] for t in page["priceTiers"]} == {"GBP"}
    assert page["priceRange"]["min"]["currency"] == "GBP"
    assert all(r["priceRange"]["min"]["currency"] == "GBP" for r in page["related"])


async def test_supplier_priced_products_convert_from_their_own_currency(api: Api) -> None:
    # given: a product priced in yuan
    product = await seeded_product(api, lambda p: p.currency == "CNY")
    fen = sorted(product.tiers, key=lambda t: t.min_quantity)[0].unit_minor
    # when
    page = (await product_page(api, product.key))["data"]["product"]
    # then: 7.10 CNY per USD
    expected = (Decimal(fen) / Decimal("7.10")).quantize(Decimal(1), rounding="ROUND_HALF_EVEN").scaleb(-2)
    assert page["priceTiers"][0]["unitPrice"] == {"amount": str(expected), "currency": "USD"}


async def test_titles_follow_accept_language_with_english_fallback(api: Api) -> None:
    # given: one product translated, one in English only
    translated = await seeded_product(api, lambda p: "ru" in p.titles)
    english_only = await seeded_product(api, lambda p: set(p.titles) == {"en"})
    # when
    russian = (await product_page(api, translated.key, headers={"Accept-Language": "ru-RU"}))["data"][
        "product"
    ]
    fallback = (await product_page(api, english_only.key, headers={"Accept-Language": "ru-RU"}))["data"][
        "product"
    ]
    # then
    assert russian["title"] == translated.titles["ru"]
    assert russian["description"] == translated.descriptions["ru"]
    assert russian["vertical"]["name"] != "" and russian["vertical"]["name"].isascii() is False
    assert fallback["title"] == english_only.titles["en"]


async def test_related_products_share_the_vertical_and_never_repeat_or_include_itself(api: Api) -> None:
    # given
    product = await seeded_product(api, lambda p: True)
    # when
    page = (await product_page(api, product.key))["data"]["product"]
    # then
    related_ids = [r["id"] for r in page["related"]]
    assert 0 < len(related_ids) <= 6
    assert page["id"] not in related_ids
    assert len(set(related_ids)) == len(related_ids)
    keys = [to_key(i) for i in related_ids]
    verticals = {p.vertical_key for p in await seeded_products(api, keys)}
    assert verticals == {product.vertical_key}


def to_key(global_id: str) -> str:
    from app.domain.ids import key_of

    key = key_of(global_id, "Product")
    assert key is not None
    return key


async def test_product_page_store_round_trips_are_a_small_constant(api: Api) -> None:
    # given
    products = await seeded_products(api, SEEDED[:2])
    token = api.token(role="buyer")
    await api.gql("Viewer", token=token)  # the first request of a new user also creates the account
    # Asked once before, with no write pending: how many calls a batch takes depends on what the
    # entity memo holds and whether its collection changed since.
    await api.drain_outbox()
    for p in products:
        await product_page(api, p.key, token=token)
    # when
    calls = [
        (await product_page(api, p.key, token=token))["extensions"]["stats"]["storeCalls"] for p in products
    ]
    # then
    assert calls[0] == calls[1]
    assert calls[0] <= 6


async def test_malformed_foreign_or_unknown_product_ids_are_null_without_error(api: Api) -> None:
    query = "query($id: ID!) { product(id: $id) { id } node(id: $id) { id } }"
    for given in ("not-an-id", to_global_id("Supplier", "p-0000001"), to_global_id("Product", "p-missing")):
        body = (await api.post(query, {"id": given})).json()
        assert body["data"] == {"product": None, "node": None}
        assert "errors" not in body


async def test_node_resolves_products_and_suppliers(api: Api) -> None:
    # given
    product = await seeded_product(api, lambda p: True)
    query = """query($p: ID!, $s: ID!) {
      p: node(id: $p) { __typename id ... on Product { title } }
      s: node(id: $s) { __typename id ... on Supplier { name } }
    }"""
    ids = {"p": to_global_id("Product", product.key), "s": to_global_id("Supplier", product.supplier_key)}
    # when
    body = (await api.post(query, ids)).json()
    # then
    assert body["data"]["p"]["__typename"] == "Product"
    assert body["data"]["p"]["title"] == product.titles["en"]
    assert body["data"]["s"]["__typename"] == "Supplier"
    assert body["data"]["s"]["id"] == ids["s"]


async def test_related_first_above_100_is_bad_user_input(api: Api) -> None:
    query = "query($id: ID!) { product(id: $id) { related(first: 101) { id } } }"
    body = (await api.post(query, {"id": to_global_id("Product", SEEDED[0])})).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_related_products_asked_again_are_not_searched_again_until_the_product_changes(
    api: Api,
) -> None:
    # given: a product whose related ones were ranked by a first page
    product = await new_product(api, "p-0000003")
    token = api.token(role="buyer")
    first = await product_page(api, product.key, token=token)
    # when
    again = await product_page(api, product.key, token=token)
    await retitle(api, product.key, "Retitled for related")
    after_write = await product_page(api, product.key, token=token)
    # then
    assert first["extensions"]["stats"]["searchCalls"] >= 1
    assert again["extensions"]["stats"]["searchCalls"] == 0
    assert again["data"]["product"]["related"] == first["data"]["product"]["related"]
    assert after_write["extensions"]["stats"]["searchCalls"] >= 1
