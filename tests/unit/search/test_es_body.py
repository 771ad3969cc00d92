"""Compilation of our search requests to Elasticsearch bodies, the index templates and the OpenSearch
media types, without a server."""

import json
from typing import Any

import pytest

from search import es_body
from search.es_engine import load_template
from search.es_transport import plain_media_types
from search.port import FACETS, LOCALES, ArticleQuery, ProductQuery

Body = dict[str, Any]


def _clauses(body: Body) -> list[Body]:
    return list(body["query"]["bool"]["filter"])


def test_words_split_syntax_characters_and_keep_han_runs_together() -> None:
    assert es_body.words('Steel* "bottle" (x:y) -a +b ^2 [c] {d} \\ / 不锈钢 ok') == [
        "steel",
        "bottle",
        "x",
        "y",
        "a",
        "b",
        "2",
        "c",
        "d",
        "不锈钢",
        "ok",
    ]


def test_text_made_only_of_syntax_characters_has_no_text_clause_and_sorts_by_popularity() -> None:
    body = es_body.product_search(ProductQuery(text='" ( ) : * ~ -'))

    assert "must" not in body["query"]["bool"]
    assert body["sort"] == es_body.PRODUCT_SORTS["POPULAR"]
    assert "highlight" not in body


def test_every_word_is_required_and_only_long_words_are_fuzzy() -> None:
    query = es_body.text_query("red excavator", "en")
    assert query is not None

    short, long = query["bool"]["must"]
    short_kinds = [next(iter(c)) for c in short["bool"]["should"]]
    long_should = long["bool"]["should"]
    assert short_kinds == ["multi_match"]
    fuzzy = [c["multi_match"] for c in long_should if "fuzziness" in c.get("multi_match", {})]
    assert len(fuzzy) == 1 and fuzzy[0]["fuzziness"] == 1 and fuzzy[0]["boost"] < 1
    assert all(f.split("^")[0].endswith(".raw") for f in fuzzy[0]["fields"])


def test_only_the_last_word_matches_as_a_prefix() -> None:
    query = es_body.text_query("steel bott", "en")
    assert query is not None

    first, last = query["bool"]["must"]
    assert not any("prefix" in c for c in first["bool"]["should"])
    assert {"prefix": {"titles.en.raw": {"value": "bott", "boost": es_body.PREFIX_BOOST}}} in last["bool"][
        "should"
    ]


def test_titles_weigh_more_than_descriptions_and_other_locales_fall_back_to_english() -> None:
    query = es_body.text_query("botella", "es")
    assert query is not None

    fields = query["bool"]["must"][0]["bool"]["should"][0]["multi_match"]["fields"]
    weights = {f.split("^")[0]: float(f.split("^")[1]) for f in fields}
    assert weights["titles.es"] > weights["descriptions.es"] > weights["specs"]
    assert weights["titles.es"] > weights["titles.en"]


def test_filters_are_filter_clauses_with_inclusive_bounds_and_exclusions() -> None:
    body = es_body.product_search(
        ProductQuery(price_min=100, price_max=900, max_moq=50, verified_supplier=True, exclude_ids=["p-1"])
    )

    assert {"range": {"price_min": {"gte": 100, "lte": 900}}} in _clauses(body)
    assert {"range": {"moq": {"lte": 50}}} in _clauses(body)
    assert {"term": {"verified": "true"}} in _clauses(body)
    assert body["query"]["bool"]["must_not"] == [{"terms": {"id": ["p-1"]}}]
    assert body["track_total_hits"] is True


def test_facet_filters_go_to_post_filter_and_each_facet_aggregates_without_its_own() -> None:
    body = es_body.product_search(
        ProductQuery(vertical_id="v-1", has_video=True, supplier_countries=["CN"], facets=True)
    )

    assert len(body["post_filter"]["bool"]["filter"]) == 3
    assert _clauses(body) == []
    vertical_filters = body["aggs"]["vertical"]["filter"]["bool"]["filter"]
    assert {"term": {"vertical": "v-1"}} not in vertical_filters
    assert {"term": {"hasVideo": "true"}} in vertical_filters
    assert set(body["aggs"]) == set(FACETS)
    assert body["aggs"]["supplierCountry"]["aggs"]["values"]["terms"]["size"] == 50


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("PRICE_ASC", [{"price_min": "asc"}, {"seq": "asc"}]),
        ("PRICE_DESC", [{"price_max": "desc"}, {"seq": "desc"}]),
        ("NEWEST", [{"created_at": "desc"}, {"seq": "desc"}]),
    ],
)
def test_sorts_break_ties_by_seq_and_page_with_search_after(sort: str, expected: list[Body]) -> None:
    body = es_body.product_search(ProductQuery(sort=sort, after=[900, 12], first=5))  # type: ignore[arg-type]

    assert body["sort"] == expected
    assert body["search_after"] == [900, 12]
    assert body["size"] == 5


def test_relevance_with_text_sorts_by_score_then_newest_and_highlights_with_em() -> None:
    body = es_body.product_search(ProductQuery(text="pump", locale="zh"))

    assert body["sort"][0] == {"_score": "desc"}
    assert body["highlight"]["pre_tags"] == ["<em>"] and body["highlight"]["encoder"] == "html"
    assert set(body["highlight"]["fields"]) == {"titles.zh", "titles.zh.raw", "titles.en", "titles.en.raw"}


def test_articles_without_text_are_newest_first_within_a_vertical() -> None:
    body = es_body.article_search(ArticleQuery(vertical_id="v-2"))

    assert body["sort"] == [{"created_at": "desc"}, {"seq": "desc"}]
    assert _clauses(body) == [{"term": {"vertical": "v-2"}}]


def test_candidates_exclude_ids_and_sort_by_the_order_asked() -> None:
    body = es_body.candidates_search("v-3", "POPULAR", 10, ["p-9"])

    assert body["sort"][0] == {"popularity": "desc"}
    assert body["query"]["bool"]["must_not"] == [{"terms": {"id": ["p-9"]}}]


@pytest.mark.parametrize("kind", ["product", "article"])
def test_templates_give_each_locale_its_language_analyzer_and_a_raw_sub_field(kind: str) -> None:
    template = load_template(kind)  # type: ignore[arg-type]

    titles = template["template"]["mappings"]["properties"]["titles"]["properties"]
    assert set(titles) == set(LOCALES)
    assert titles["zh"]["analyzer"] == "cjk" and titles["en"]["analyzer"] == "english"
    assert all(f["fields"]["raw"]["analyzer"] == "standard" for f in titles.values())
    assert template["template"]["settings"]["refresh_interval"] == "1s"


def test_opensearch_requests_use_plain_json_media_types() -> None:
    headers = plain_media_types(
        {
            "Accept": "application/vnd.elasticsearch+json; compatible-with=9",
            "Content-Type": "application/vnd.elasticsearch+x-ndjson; compatible-with=9",
        }
    )

    assert headers["accept"] == "application/json"
    assert headers["content-type"] == "application/x-ndjson"


def test_bodies_are_plain_json() -> None:
    body = es_body.product_search(ProductQuery(text="x", facets=True, after=[1.5, 2, 3]))

    assert json.loads(json.dumps(body)) == body
