"""Text search over HTTP: typos, highlights, syntax characters, limits, relevance paging and suggest."""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from typing import Any

import pytest

from tests.api.harness import Api
from tests.api.shapes import shape
from tests.api.test_search_support import every_product, search_products, store_product_count

EM = re.compile(r"</?em>")


def _long_word(nodes: list[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    """A product and an alphabetic word of 6+ letters of its English title."""
    for node in nodes:
        for word in re.findall(r"[A-Za-z]+", node["title"]):
            if len(word) >= 6:
                return node, word
    raise AssertionError("no product title has a long word")


async def _ids_of(api: Api, variables: dict[str, Any]) -> list[str]:
    found = await search_products(api, {"first": 100, **variables})
    return [edge["node"]["id"] for edge in found["edges"]]


async def test_a_one_letter_typo_in_a_long_word_still_finds_the_product(api: Api) -> None:
    # given: a word of a product's title with one letter changed, narrowed to that product's vertical
    nodes = await every_product(api)
    node, word = _long_word(nodes)
    typo = word[:2] + ("x" if word[2].lower() != "x" else "y") + word[3:]
    narrow = {"vertical": node["vertical"]["id"], "maxMoq": node["moq"]["value"]}
    # when
    found = await _ids_of(api, {"query": typo, "filter": narrow})
    exact = await _ids_of(api, {"query": word, "filter": narrow})
    # then
    assert node["id"] in found
    assert node["id"] in exact


async def test_highlight_is_the_escaped_title_with_em_around_matched_words(api: Api) -> None:
    # given
    nodes = await every_product(api)
    _, word = _long_word(nodes)
    # when
    found = await search_products(api, {"query": word, "first": 20})
    # then
    assert found["edges"]
    for edge in found["edges"]:
        highlight = edge["highlight"]
        assert EM.sub("", highlight) == html.escape(edge["node"]["title"])
    assert any(f"<em>{word.lower()}</em>" in e["highlight"].lower() for e in found["edges"])


async def test_without_text_there_is_no_highlight(api: Api) -> None:
    found = await search_products(api, {"first": 3})
    assert [e["highlight"] for e in found["edges"]] == [None, None, None]


async def test_query_syntax_characters_are_plain_text(api: Api) -> None:
    # given
    nodes = await every_product(api)
    node, word = _long_word(nodes)
    narrow = {"vertical": node["vertical"]["id"], "maxMoq": node["moq"]["value"]}
    # when
    wrapped = await _ids_of(api, {"query": f'"{word}" +(:* ~^) -[]', "filter": narrow})
    odd = await api.gql("SearchProducts", {"first": 5, "query": '"(((:*~^\\/[{'})
    # then
    assert node["id"] in wrapped
    assert "errors" not in odd


async def test_empty_and_blank_queries_list_every_product_by_the_sort(api: Api) -> None:
    # given
    expected = await _ids_of(api, {"sort": "POPULAR"})
    # when
    blank = await search_products(api, {"query": "  \t ", "first": 100})
    empty = await search_products(api, {"query": "", "first": 100})
    # then
    assert [e["node"]["id"] for e in blank["edges"]] == expected
    assert [e["node"]["id"] for e in empty["edges"]] == expected
    assert blank["totalCount"] == empty["totalCount"] == await store_product_count(api)


async def test_a_query_over_200_characters_is_bad_user_input(api: Api) -> None:
    # when
    too_long = await api.gql("SearchProducts", {"first": 5, "query": "a" * 201})
    at_limit = await api.gql("SearchProducts", {"first": 5, "query": "a" * 200})
    # then
    assert [e["extensions"]["code"] for e in too_long["errors"]] == ["BAD_USER_INPUT"]
    assert "errors" not in at_limit


async def _common_word(api: Api, nodes: list[dict[str, Any]]) -> str:
    """A title word with 15 to 100 matches, so many hits tie on score and all fit one page.

    Matches come from descriptions, specs, typos and prefixes too, so the count is asked of search.
    """
    counts: Counter[str] = Counter(
        str(w).lower() for n in nodes for w in set(re.findall(r"[A-Za-z]{5,}", n["title"]))
    )
    for word, _ in counts.most_common():
        total = (await search_products(api, {"query": word, "first": 0}))["totalCount"]
        if 14 < total <= 100:
            return word
    raise LookupError("no title word has between 15 and 100 matches")


# osmem-server (the OpenSearch stand-in) answers `search_after` on `_score` with an empty page; real
# Elasticsearch/OpenSearch page by score exactly, so the case runs when their URL is given.
OSMEM_STAND_IN = shape() == "distributed" and not (
    os.environ.get("ELASTICSEARCH_URL") or os.environ.get("OPENSEARCH_URL")
)


@pytest.mark.skipif(OSMEM_STAND_IN, reason="osmem-server mis-pages search_after on _score (known)")
async def test_relevance_pages_follow_the_single_page_order_without_repeats(api: Api) -> None:
    # given: a common word, all its matches on one page
    word = await _common_word(api, await every_product(api))
    whole = await search_products(api, {"query": word, "first": 100})
    # when: the same in pages of 7
    paged: list[str] = []
    after = None
    while True:
        page = await search_products(api, {"query": word, "first": 7, "after": after})
        paged += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # then
    assert 14 < whole["totalCount"] == len(paged) <= 100
    assert paged == [e["node"]["id"] for e in whole["edges"]]


async def test_suggest_completes_vertical_names_and_product_titles(api: Api) -> None:
    # given
    nodes = await every_product(api)
    _, word = _long_word(nodes)
    # when
    verticals = (await api.gql("Suggest", {"prefix": "Seat"}))["data"]["suggest"]
    chinese = (await api.gql("Suggest", {"prefix": "座"}, headers={"Accept-Language": "zh"}))["data"][
        "suggest"
    ]
    titles = (await api.gql("Suggest", {"prefix": word[:4].lower()}))["data"]["suggest"]
    # then
    assert "Seating" in verticals
    assert "座椅" in chinese
    assert titles and len(titles) <= 8
    assert all(word[:4].lower() in t.lower() for t in titles)


async def test_suggest_with_a_blank_prefix_is_empty_and_first_is_bounded(api: Api) -> None:
    blank = await api.gql("Suggest", {"prefix": "  "})
    too_many = await api.post('query { suggest(prefix: "se", first: 101) }')
    assert blank["data"]["suggest"] == []
    assert too_many.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
