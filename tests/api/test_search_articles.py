"""searchArticles over HTTP: published only, vertical filter, newest first, fresh within 2 seconds."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from tests.api.harness import Api, unique
from tests.api.test_articles_support import create, published
from tests.api.test_search_support import eventually


async def _search(api: Api, variables: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    body = await api.gql("SearchArticles", {"first": 20, **variables}, token=token)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]["searchArticles"]
    return result


async def _found_ids(api: Api, text: str, token: str | None = None) -> list[str]:
    return [e["node"]["id"] for e in (await _search(api, {"query": text}, token))["edges"]]


async def _vertical_id(api: Api) -> str:
    verticals = (await api.gql("Verticals"))["data"]["verticals"]
    found: str = verticals[0]["id"]
    return found


async def test_a_published_article_is_found_within_two_seconds_and_drafts_never(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    word = unique("glimmerstone").replace("-", "")
    draft = await create(api, editor, title=f"Draft about {word}")
    # when
    article = await published(api, editor, title=f"Guide to {word} sourcing")
    found = await eventually(lambda: _found_ids(api, word), lambda ids: article["id"] in ids)
    # then: drafts stay out, even for the editor
    assert found == [article["id"]]
    assert draft["id"] not in await _found_ids(api, word, token=editor)


async def test_an_unpublished_article_leaves_search(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    word = unique("velvetore").replace("-", "")
    article = await published(api, editor, title=f"Notes on {word}")
    await eventually(lambda: _found_ids(api, word), lambda ids: article["id"] in ids)
    # when
    body = await api.gql("UnpublishArticle", {"id": article["id"]}, token=editor)
    # then
    assert body["data"]["unpublishArticle"]["userErrors"] == []
    assert await eventually(lambda: _found_ids(api, word), lambda ids: ids == []) == []


async def test_the_vertical_filter_keeps_only_that_verticals_articles(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    word = unique("ferroquill").replace("-", "")
    vertical = await _vertical_id(api)
    inside = await published(api, editor, title=f"{word} in the vertical", verticalId=vertical)
    outside = await published(api, editor, title=f"{word} elsewhere")
    await eventually(lambda: _found_ids(api, word), lambda ids: len(ids) == 2)
    # when
    found = await _search(api, {"query": word, "vertical": vertical})
    # then
    assert [e["node"]["id"] for e in found["edges"]] == [inside["id"]]
    assert all(e["node"]["vertical"]["id"] == vertical for e in found["edges"])
    assert outside["id"] in await _found_ids(api, word)


async def test_an_empty_query_lists_published_articles_newest_first_across_pages(api: Api) -> None:
    # given
    listed = (await api.gql("Articles", {"first": 100}))["data"]["articles"]["edges"]
    # when
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        page = await _search(api, {"query": "", "first": 7, "after": after})
        seen += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # then
    # The embedded index keeps publication times to the second (its sort key packs time and a tie-breaker).
    times = [datetime.fromisoformat(n["publishedAt"]).replace(microsecond=0) for n in seen]
    assert times == sorted(times, reverse=True)
    assert {n["id"] for n in seen} == {e["node"]["id"] for e in listed}
    assert len(seen) == len({n["id"] for n in seen})


async def test_equal_relevance_goes_newest_first(api: Api) -> None:
    # given: two articles with the same title, published one after the other (the index keeps
    # publication times to the second, so the second comes a second later)
    editor = api.token(role="editor")
    word = unique("tidewrack").replace("-", "")
    older = await published(api, editor, title=f"Buying {word}")
    await asyncio.sleep(1.05)
    newer = await published(api, editor, title=f"Buying {word}")
    # when
    found = await eventually(lambda: _found_ids(api, word), lambda ids: len(ids) == 2)
    # then
    assert found == [newer["id"], older["id"]]


async def test_search_articles_rejects_long_queries_and_foreign_vertical_ids(api: Api) -> None:
    long = await api.gql("SearchArticles", {"first": 5, "query": "x" * 201})
    foreign = await api.gql("SearchArticles", {"first": 5, "query": "x", "vertical": "not-an-id"})
    assert long["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert foreign["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
