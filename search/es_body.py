"""Pure compilation of our search requests to Elasticsearch/OpenSearch request bodies (no I/O)."""

import re
from collections.abc import Collection, Mapping
from typing import Any

from search.port import (
    FACETS,
    LOCALES,
    MAX_FACET_BUCKETS,
    ArticleDoc,
    ArticleQuery,
    CandidateOrder,
    ProductDoc,
    ProductQuery,
    SupplierDoc,
    effective_sort,
)

Body = dict[str, Any]

TITLE_BOOST = 3.0
DESCRIPTION_BOOST = 1.0
SPECS_BOOST = 0.5
# Below the exact clause, so that exact matches rank first.
FUZZY_BOOST = 0.3
PREFIX_BOOST = 0.5
FALLBACK_LOCALE_BOOST = 0.5
FUZZY_MIN_LENGTH = 5

_HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_WORDS = re.compile(rf"{_HAN}+|(?:(?!{_HAN})[^\W_])+")

PRODUCT_SORTS: Mapping[str, list[Body]] = {
    "RELEVANCE": [{"_score": "desc"}, {"created_at": "desc"}, {"seq": "desc"}],
    "NEWEST": [{"created_at": "desc"}, {"seq": "desc"}],
    "POPULAR": [{"popularity": "desc"}, {"seq": "desc"}],
    "PRICE_ASC": [{"price_min": "asc"}, {"seq": "asc"}],
    "PRICE_DESC": [{"price_max": "desc"}, {"seq": "desc"}],
}


def words(text: str | None) -> list[str]:
    """Lowercased words (a run of Han characters is one word); syntax characters are separators."""
    return _WORDS.findall((text or "").lower())[:32]


def _locales(locale: str) -> list[tuple[str, float]]:
    chosen = locale if locale in LOCALES else "en"
    return [(chosen, 1.0)] if chosen == "en" else [(chosen, 1.0), ("en", FALLBACK_LOCALE_BOOST)]


def _word_query(word: str, locale: str, last: bool, specs: bool) -> Body:
    exact: list[str] = [f"specs^{SPECS_BOOST}"] if specs else []
    raw: list[str] = []
    for loc, weight in _locales(locale):
        exact += [f"titles.{loc}^{TITLE_BOOST * weight}", f"titles.{loc}.raw^{TITLE_BOOST * weight}"]
        exact += [f"descriptions.{loc}^{DESCRIPTION_BOOST * weight}", f"descriptions.{loc}.raw^{weight}"]
        raw.append(f"titles.{loc}.raw^{weight}")
    should: list[Body] = [{"multi_match": {"query": word, "fields": exact, "operator": "and"}}]
    han = re.match(_HAN, word) is not None
    if len(word) >= FUZZY_MIN_LENGTH and not han:
        fuzzy = {"query": word, "fields": raw, "fuzziness": 1, "prefix_length": 0, "boost": FUZZY_BOOST}
        should.append({"multi_match": fuzzy})
    if last and not han:
        prefix = [{"prefix": {f.split("^")[0]: {"value": word, "boost": PREFIX_BOOST}}} for f in raw]
        should += prefix
    return {"bool": {"should": should, "minimum_should_match": 1}}


def text_query(text: str | None, locale: str, specs: bool = True) -> Body | None:
    """Every word must match some field; None when the text has no words."""
    found = words(text)
    if not found:
        return None
    return {
        "bool": {"must": [_word_query(w, locale, i == len(found) - 1, specs) for i, w in enumerate(found)]}
    }


def _flag(value: bool) -> str:
    return "true" if value else "false"


def product_filters(q: ProductQuery) -> tuple[dict[str, Body], list[Body]]:
    """Facet filters by facet name (left out of their own facet's counts), and the other filters."""
    facets: dict[str, Body] = {}
    if q.vertical_id is not None:
        facets["vertical"] = {"term": {"vertical": q.vertical_id}}
    if q.supplier_countries is not None:
        facets["supplierCountry"] = {"terms": {"supplierCountry": list(q.supplier_countries)}}
    if q.has_video is not None:
        facets["hasVideo"] = {"term": {"hasVideo": _flag(q.has_video)}}
    if q.trade_assurance is not None:
        facets["tradeAssurance"] = {"term": {"tradeAssurance": _flag(q.trade_assurance)}}
    others: list[Body] = []
    if q.verified_supplier is not None:
        others.append({"term": {"verified": _flag(q.verified_supplier)}})
    if q.price_min is not None or q.price_max is not None:
        bounds = {k: v for k, v in (("gte", q.price_min), ("lte", q.price_max)) if v is not None}
        others.append({"range": {"price_min": bounds}})
    if q.max_moq is not None:
        others.append({"range": {"moq": {"lte": q.max_moq}}})
    if q.created_after is not None:
        others.append({"range": {"created_at": {"gt": q.created_after}}})
    return facets, others


def _bool(must: Body | None, filters: list[Body], exclude_ids: Collection[str] = ()) -> Body:
    clauses: Body = {"filter": filters}
    if must is not None:
        clauses["must"] = [must]
    if exclude_ids:
        clauses["must_not"] = [{"terms": {"id": list(exclude_ids)}}]
    return {"bool": clauses}


def facet_aggs(active: Mapping[str, Body]) -> Body:
    """Disjunctive facets: each counted under every active facet filter but its own (the query itself
    carries none of them; they go to post_filter)."""
    aggs: Body = {}
    for name in FACETS:
        others = [f for n, f in active.items() if n != name]
        terms = {"terms": {"field": name, "size": MAX_FACET_BUCKETS}}
        aggs[name] = {"filter": {"bool": {"filter": others}}, "aggs": {"values": terms}}
    return aggs


def _highlight(locale: str) -> Body:
    fields = {
        f"titles.{loc}{sub}": {"number_of_fragments": 0}
        for loc, _ in _locales(locale)
        for sub in ("", ".raw")
    }
    return {"pre_tags": ["<em>"], "post_tags": ["</em>"], "encoder": "html", "fields": fields}


def product_search(q: ProductQuery) -> Body:
    text = text_query(q.text, q.locale)
    active, others = product_filters(q)
    sort = effective_sort(q)
    body: Body = {
        "query": _bool(text, others, q.exclude_ids),
        "sort": PRODUCT_SORTS["POPULAR" if sort == "RELEVANCE" and text is None else sort],
        "size": q.first,
        "track_total_hits": q.count,
        "_source": ["id", f"titles.{q.locale}", "titles.en"],
    }
    if active:
        body["post_filter"] = {"bool": {"filter": list(active.values())}}
    if q.facets:
        body["aggs"] = facet_aggs(active)
    if text is not None:
        body["highlight"] = _highlight(q.locale)
    if q.after:
        body["search_after"] = list(q.after)
    return body


def article_search(q: ArticleQuery) -> Body:
    text = text_query(q.text, q.locale, specs=False)
    filters = [{"term": {"vertical": q.vertical_id}}] if q.vertical_id else []
    sort: list[Body] = [{"created_at": "desc"}, {"seq": "desc"}]
    body: Body = {
        "query": _bool(text, filters),
        "sort": ([{"_score": "desc"}] if text is not None else []) + sort,
        "size": q.first,
        "track_total_hits": True,
        "_source": ["id", f"titles.{q.locale}", "titles.en"],
    }
    if text is not None:
        body["highlight"] = _highlight(q.locale)
    if q.after:
        body["search_after"] = list(q.after)
    return body


def suggest_search(prefix: str, locale: str, first: int) -> Body | None:
    text = text_query(prefix, locale, specs=False)
    if text is None:
        return None
    return {
        "query": text,
        "sort": PRODUCT_SORTS["POPULAR"],
        "size": first * 3,
        "track_total_hits": False,
        "_source": [f"titles.{locale}", "titles.en"],
    }


def candidates_search(
    vertical_id: str | None, order: CandidateOrder, first: int, exclude_ids: Collection[str]
) -> Body:
    filters = [{"term": {"vertical": vertical_id}}] if vertical_id else []
    field = "created_at" if order == "NEW" else "popularity"
    return {
        "query": _bool(None, filters, exclude_ids),
        "sort": [{field: "desc"}, {"seq": "desc"}],
        "size": first,
        # Candidates are ranked, never counted: without this the server counts up to 10,000 matches.
        "track_total_hits": False,
        "_source": ["id", "vertical", "supplier", "created_at", "popularity"],
    }


def _texts(titles: Mapping[str, str], *bodies: Mapping[str, str]) -> Body:
    joined = {loc: " ".join(b[loc] for b in bodies if b.get(loc)) for loc in LOCALES}
    return {
        "titles": {loc: t for loc, t in titles.items() if loc in LOCALES and t},
        "descriptions": {loc: t for loc, t in joined.items() if t},
    }


def product_source(doc: ProductDoc) -> Body:
    return {
        "id": doc.id,
        "seq": doc.seq,
        "version": doc.version,
        **_texts(doc.titles, doc.descriptions),
        "specs": doc.specs_text,
        "vertical": doc.vertical_id,
        "supplier": doc.supplier_id,
        "supplierCountry": doc.supplier_country,
        "verified": _flag(doc.supplier_verified),
        "hasVideo": _flag(doc.has_video),
        "tradeAssurance": _flag(doc.trade_assurance),
        "price_min": doc.price_min,
        "price_max": doc.price_max,
        "moq": doc.moq,
        "created_at": doc.created_at,
        "popularity": doc.popularity,
    }


def article_source(doc: ArticleDoc) -> Body:
    return {
        "id": doc.id,
        "seq": doc.seq,
        "version": doc.version,
        **_texts(doc.titles, doc.summaries, doc.bodies),
        "vertical": doc.vertical_id,
        "tags": list(doc.tags),
        "created_at": doc.published_at,
        "popularity": doc.popularity,
    }


def supplier_source(doc: SupplierDoc) -> Body:
    return {
        "id": doc.id,
        "seq": doc.seq,
        "version": doc.version,
        "titles": {"en": doc.name},
        "vertical": list(doc.vertical_ids),
        "country": doc.country,
        "verified": _flag(doc.verified),
        "created_at": doc.created_at,
        "popularity": doc.popularity,
    }
