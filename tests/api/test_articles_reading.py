"""Reading articles: visibility by role, the id-or-slug rule, paging, languages, stats (CONTRACT.md 3, 9)."""

from __future__ import annotations

from typing import Any

from app.domain.ids import key_of
from app.ports import Ports
from tests.api.harness import Api, unique
from tests.api.test_articles_support import article_input, create, in_seconds, on_server, published

NODE = "query Node($id: ID!) { node(id: $id) { id ... on Article { status } } }"
BY_SLUG = "query BySlug($slug: String!) { article(slug: $slug) { id title locale } }"


async def _hidden_states(api: Api, editor: str) -> list[dict[str, Any]]:
    draft = await create(api, editor)
    scheduled = await create(api, editor)
    await api.gql("PublishArticle", {"id": scheduled["id"], "publishAt": in_seconds(60)}, token=editor)
    withdrawn = await published(api, editor)
    await api.gql("UnpublishArticle", {"id": withdrawn["id"]}, token=editor)
    return [draft, scheduled, withdrawn]


async def test_buyers_and_anonymous_users_never_see_unpublished_articles(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    hidden = await _hidden_states(api, editor)
    listed = await api.gql("Articles", {"first": 100})
    listed_ids = {e["node"]["id"] for e in listed["data"]["articles"]["edges"]}
    for token in (None, api.token(role="buyer"), api.token(role="supplier")):
        for article in hidden:
            # when
            by_id = await api.gql("ArticlePage", {"id": article["id"]}, token=token)
            by_slug = await api.post(BY_SLUG, {"slug": article["slug"]}, token=token)
            node = await api.post(NODE, {"id": article["id"]}, token=token)
            # then
            assert by_id["data"] == {"article": None} and "errors" not in by_id
            assert by_slug.json()["data"] == {"article": None}
            assert node.json()["data"] == {"node": None}
            assert article["id"] not in listed_ids
    await api.drain_outbox()


async def test_editors_read_drafts_by_id_slug_and_node(api: Api) -> None:
    editor = api.token(role="editor")
    draft = await create(api, editor)
    by_slug = await api.post(BY_SLUG, {"slug": draft["slug"]}, token=editor)
    node = await api.post(NODE, {"id": draft["id"]}, token=editor)
    assert by_slug.json()["data"]["article"]["id"] == draft["id"]
    assert node.json()["data"]["node"] == {"id": draft["id"], "status": "DRAFT"}


async def test_article_takes_exactly_one_of_id_and_slug(api: Api) -> None:
    article = await published(api, api.token(role="editor"))
    for variables in ({}, {"id": article["id"], "slug": article["slug"]}):
        body = await api.gql("ArticlePage", variables)
        assert body["data"] == {"article": None}
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


async def test_a_published_article_reads_by_id_slug_and_node_for_buyers(api: Api) -> None:
    article = await published(api, api.token(role="editor"), title=f"Desk fans {unique('t')}")
    buyer = api.token(role="buyer")
    page = (await api.gql("ArticlePage", {"id": article["id"]}, token=buyer))["data"]["article"]
    by_slug = await api.post(BY_SLUG, {"slug": article["slug"]}, token=buyer)
    node = await api.post(NODE, {"id": article["id"]})
    assert page["author"]["name"] and page["readingMinutes"] >= 1
    assert page["body"] == [
        {"__typename": "ParagraphBlock", "text": "Desk lamps with USB-C ports sell out fast."}
    ]
    assert by_slug.json()["data"]["article"]["id"] == article["id"]
    assert node.json()["data"]["node"] == {"id": article["id"], "status": "PUBLISHED"}


async def test_articles_pages_newest_first_by_vertical_and_tag_without_repeats(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    tag = unique("tag")
    made = [await published(api, editor, tags=[tag]) for _ in range(3)]
    # when
    first = await api.gql("Articles", {"tag": tag, "first": 2})
    cursor = first["data"]["articles"]["pageInfo"]["endCursor"]
    second = await api.gql("Articles", {"tag": tag, "first": 2, "after": cursor})
    foreign = await api.gql("Articles", {"tag": unique("tag"), "first": 2, "after": cursor})
    # then
    ids = [e["node"]["id"] for e in first["data"]["articles"]["edges"] + second["data"]["articles"]["edges"]]
    assert ids == [a["id"] for a in reversed(made)]
    assert first["data"]["articles"]["pageInfo"]["hasNextPage"] is True
    assert second["data"]["articles"]["pageInfo"]["hasNextPage"] is False
    assert [e["extensions"]["code"] for e in foreign["errors"]] == ["BAD_USER_INPUT"]


async def test_articles_of_a_vertical_are_that_verticals_published_ones(api: Api) -> None:
    verticals = (await api.gql("Verticals"))["data"]["verticals"]
    body = await api.gql("Articles", {"vertical": verticals[1]["id"], "first": 50})
    edges = body["data"]["articles"]["edges"]
    assert edges, "the demo articles cover every vertical"
    dates = [e["node"]["publishedAt"] for e in edges]
    assert dates == sorted(dates, reverse=True)


async def test_the_language_falls_back_to_the_original_locale_then_english(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    article = await create(api, editor, title="Sillas de oficina", locale="es")
    await api.gql(
        "TranslateArticle", {"id": article["id"], "input": article_input("Office chairs")}, token=editor
    )
    await api.gql("PublishArticle", {"id": article["id"]}, token=editor)
    shown: dict[str, tuple[str, str]] = {}
    for language in ("en-GB", "ru", "es-MX"):
        # when
        body = await api.gql("ArticlePage", {"id": article["id"]}, headers={"Accept-Language": language})
        page = body["data"]["article"]
        shown[language] = (page["locale"], page["title"])
        assert page["availableLocales"] == ["es", "en"]
    # then
    assert shown == {
        "en-GB": ("en", "Office chairs"),
        "ru": ("es", "Sillas de oficina"),
        "es-MX": ("es", "Sillas de oficina"),
    }


async def test_stats_are_null_for_everyone_but_editors(api: Api) -> None:
    article = await published(api, api.token(role="editor"))
    for token in (None, api.token(role="buyer"), api.token(role="supplier")):
        body = await api.post(
            "query S($id: ID!) { article(id: $id) { stats { views averageDwellSeconds } } }",
            {"id": article["id"]},
            token=token,
        )
        assert body.json()["data"] == {"article": {"stats": None}}
        assert "errors" not in body.json()


async def test_stats_count_views_once_per_viewer_and_hour_and_average_dwell(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    article = await published(api, editor)
    key = article["id"]
    subject = key_of(key, "Article")
    events = [
        ("VIEW", "u1", 100, None),
        ("VIEW", "u1", 100, None),
        ("VIEW", "u1", 101, None),
        ("VIEW", "ip:10.0.0.1", 100, None),
        ("DWELL", "u1", 100, 10_000),
        ("DWELL", "u2", 100, 25_000),
    ]
    fields = ("kind", "viewer", "hour", "duration_ms")
    docs: list[dict[str, Any]] = [
        {
            "_id": unique("event"),
            "subject_type": "Article",
            "subject_key": subject,
            **dict(zip(fields, event, strict=True)),
        }
        for event in events
    ]

    async def insert(ports: Ports) -> None:
        await ports.repos.database.collection("events").insert_many(docs)

    await on_server(api, insert)
    # when
    body = await api.gql("EditorArticle", {"id": key}, token=editor)
    # then
    assert body["data"]["article"]["stats"] == {"views": 3, "averageDwellSeconds": 17.5}


async def test_list_round_trips_do_not_grow_with_the_page_size(api: Api) -> None:
    editor = api.token(role="editor")
    # The newest first: both pages show a vertical, so both load verticals (other suites' articles
    # may have none).
    vertical = (await api.gql("Verticals"))["data"]["verticals"][0]["id"]
    for _ in range(2):
        await create(api, editor, verticalId=vertical)
    # Asked once before, with no write pending: how many calls a batch takes depends on what the
    # entity memo holds and whether its collection changed since.
    await api.drain_outbox()
    await api.gql("EditorArticles", {"first": 30}, token=editor)
    calls = []
    for first in (2, 30):
        body = await api.gql("EditorArticles", {"first": first}, token=editor)
        assert len(body["data"]["editorArticles"]["edges"]) == first
        calls.append(body["extensions"]["stats"]["storeCalls"])
    assert calls[0] == calls[1]
