"""What publishing causes: search indexing, follower notices, related products, and the demo articles."""

from __future__ import annotations

from typing import Any

from app.domain.ids import key_of, to_global_id
from app.ports import Ports
from search.port import ArticleQuery
from tests.api.harness import Api, unique
from tests.api.test_articles_support import create, on_server, product_ids, published


async def _searchable(api: Api, word: str) -> list[str]:
    async def search(ports: Ports) -> list[str]:
        await ports.search.refresh()
        hits = await ports.search.search_articles(ArticleQuery(text=word, first=10))
        return [hit.id for hit in hits.hits]

    return await on_server(api, search)


async def _notices(api: Api, article_key: str) -> list[dict[str, Any]]:
    async def find(ports: Ports) -> list[dict[str, Any]]:
        entries = ports.repos.database.collection("outbox").find(
            {"kind": "notify", "payload.target.key": article_key}
        )
        return [entry["payload"] async for entry in entries]

    return await on_server(api, find)


async def test_publishing_indexes_the_article_and_unpublishing_removes_it(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    word = unique("zebrawood").replace("-", "")
    article = await published(api, editor, title=f"Sourcing {word} stools")
    key = key_of(article["id"], "Article")
    # when
    await api.drain_outbox()
    indexed = await _searchable(api, word)
    await api.gql("UnpublishArticle", {"id": article["id"]}, token=editor)
    await api.drain_outbox()
    # then
    assert indexed == [key]
    assert await _searchable(api, word) == []


async def test_notify_followers_tells_close_followers_once_per_article(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    verticals = (await api.gql("Verticals"))["data"]["verticals"]
    vertical_key = key_of(verticals[2]["id"], "Vertical")
    assert vertical_key is not None
    close, distant = unique("buyer"), unique("buyer")
    interests = [
        {"_id": unique("interest"), "user_key": close, "verticals": {vertical_key: 3.0, "v-other": 1.0}},
        {
            "_id": unique("interest"),
            "user_key": distant,
            "verticals": {vertical_key: 0.5, "a": 4, "b": 4, "c": 4},
        },
    ]

    async def insert(ports: Ports) -> None:
        await ports.repos.database.collection("interests").insert_many(interests)

    await on_server(api, insert)
    article = await create(api, editor, verticalId=verticals[2]["id"])
    # when
    await api.gql("PublishArticle", {"id": article["id"], "notifyFollowers": True}, token=editor)
    await api.gql("UnpublishArticle", {"id": article["id"]}, token=editor)
    await api.gql("PublishArticle", {"id": article["id"], "notifyFollowers": True}, token=editor)
    # then
    key = key_of(article["id"], "Article")
    assert key is not None
    (notice,) = await _notices(api, key)
    assert notice["kind"] == "ARTICLE_PUBLISHED"
    assert notice["group"] == f"article:{key}"
    assert close in notice["recipients"] and distant not in notice["recipients"]


async def test_publishing_without_notify_followers_tells_no_one(api: Api) -> None:
    editor = api.token(role="editor")
    verticals = (await api.gql("Verticals"))["data"]["verticals"]
    article = await published(api, editor, verticalId=verticals[0]["id"])
    key = key_of(article["id"], "Article")
    assert key is not None
    assert await _notices(api, key) == []


async def test_related_products_start_with_the_blocks_and_a_gone_product_reads_as_null(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    (kept,) = await product_ids(api, 1)
    kept_key = key_of(kept, "Product")
    doomed_key = unique("product")

    async def copy(ports: Ports) -> None:
        products = ports.repos.database.collection("products")
        original = await products.find_one({"_id": kept_key})
        assert original is not None
        await products.insert_one({**original, "_id": doomed_key})

    await on_server(api, copy)
    doomed = to_global_id("Product", doomed_key)
    article = await published(
        api, editor, blocks=[{"product": doomed}, {"product": kept}, {"paragraph": "Two picks."}]
    )

    async def delete(ports: Ports) -> None:
        await ports.repos.database.collection("products").delete_one({"_id": doomed_key})

    await on_server(api, delete)
    # when
    page = (await api.gql("ArticlePage", {"id": article["id"]}))["data"]["article"]
    # then
    assert page["body"][0] == {"__typename": "ProductBlock", "product": None}
    assert page["body"][1]["product"]["id"] == kept
    assert [p["id"] for p in page["relatedProducts"]] == [kept]


async def test_the_demo_articles_are_published_trend_pieces_with_products_and_translations(api: Api) -> None:
    # given
    body = await api.gql("Articles", {"first": 100})
    edges = body["data"]["articles"]["edges"]
    demo = [e["node"] for e in edges if e["node"]["slug"].endswith("-trends")]
    # when
    seating = await api.post(
        "query A($slug: String!) { article(slug: $slug) { locale title author { name } "
        "body { ... on ProductBlock { product { id } } } relatedProducts { id } } }",
        {"slug": "seating-hot-trends"},
        headers={"Accept-Language": "zh"},
    )
    # then
    assert len(demo) >= 30
    article = seating.json()["data"]["article"]
    assert article["locale"] == "zh" and article["title"] == "座椅为何领跑跨境采购"
    assert article["author"]["name"] == "Mei Lin, Trends Desk"
    products = [b["product"]["id"] for b in article["body"] if b]
    assert products and article["relatedProducts"][: len(products)] == [{"id": p} for p in products]
