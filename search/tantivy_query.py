"""Compiles our search requests to tantivy queries: text matching, filters, keyset bounds and facets."""

import re
from collections.abc import Collection, Mapping, Sequence

import tantivy
from tantivy import Occur, Query

from search.port import LOCALES, MAX_FACET_BUCKETS, FacetBucket, ProductQuery, SortKey
from search.tantivy_schema import analyzer

TITLE_BOOST = 3.0
DESCRIPTION_BOOST = 1.0
SPECS_BOOST = 0.5
# Below the exact clauses, so that exact matches rank first (the fuzzy clause matches them too).
FUZZY_BOOST = 0.3
PREFIX_BOOST = 0.5
FALLBACK_LOCALE_BOOST = 0.5
FUZZY_MIN_LENGTH = 5

_PLAIN = analyzer(None)
_STEMMED = {locale: analyzer(locale) for locale in LOCALES}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

Filters = dict[str, Query]


def words(text: str | None) -> list[str]:
    """Lowercased words of a query; syntax characters are separators, never operators."""
    return _PLAIN.analyze(text or "")[:32]


def _filter(query: Query) -> tuple[Occur, Query]:
    return Occur.Must, Query.const_score_query(query, 0.0)


def _locales(locale: str) -> list[tuple[str, float]]:
    chosen = locale if locale in LOCALES else "en"
    return [(chosen, 1.0)] if chosen == "en" else [(chosen, 1.0), ("en", FALLBACK_LOCALE_BOOST)]


def _word_clauses(schema: tantivy.Schema, word: str, locale: str, weight: float, last: bool) -> list[Query]:
    clauses: list[Query] = []
    stems = _STEMMED[locale].analyze(word) or [word]
    for stem in stems:
        clauses.append(
            Query.boost_query(Query.term_query(schema, f"title_{locale}", stem), TITLE_BOOST * weight)
        )
        clauses.append(
            Query.boost_query(Query.term_query(schema, f"desc_{locale}", stem), DESCRIPTION_BOOST * weight)
        )
    if _HAN.match(word):
        return clauses
    raw = f"raw_{locale}"
    if len(word) >= FUZZY_MIN_LENGTH:
        fuzzy = Query.fuzzy_term_query(schema, raw, word, distance=1)
        clauses.append(Query.boost_query(fuzzy, FUZZY_BOOST * weight))
    if last:
        prefix = Query.fuzzy_term_query(schema, raw, word, distance=0, prefix=True)
        clauses.append(Query.boost_query(prefix, PREFIX_BOOST * weight))
    return clauses


def text_query(schema: tantivy.Schema, text: str | None, locale: str, specs: bool) -> Query | None:
    """Every word must match some field; None when the text has no words."""
    found = words(text)
    if not found:
        return None
    per_word: list[tuple[Occur, Query]] = []
    for i, word in enumerate(found):
        clauses: list[Query] = []
        for loc, weight in _locales(locale):
            clauses += _word_clauses(schema, word, loc, weight, last=i == len(found) - 1)
        if specs:
            stem = (_STEMMED["en"].analyze(word) or [word])[0]
            clauses.append(Query.boost_query(Query.term_query(schema, "specs", stem), SPECS_BOOST))
        per_word.append((Occur.Must, Query.boolean_query([(Occur.Should, c) for c in clauses])))
    return Query.boolean_query(per_word)


def _int_range(schema: tantivy.Schema, name: str, low: int | None, high: int | None) -> Query:
    return Query.range_query(schema, name, tantivy.FieldType.Integer, low, high)


def product_filters(schema: tantivy.Schema, q: ProductQuery) -> tuple[Filters, list[Query]]:
    """Facet filters by facet name (left out of their own facet's counts), and the other filters."""
    facets: Filters = {}
    if q.vertical_id is not None:
        facets["vertical"] = Query.term_query(schema, "vertical", q.vertical_id)
    if q.supplier_countries is not None:
        facets["supplierCountry"] = Query.term_set_query(
            schema, "supplierCountry", list(q.supplier_countries)
        )
    if q.has_video is not None:
        facets["hasVideo"] = Query.term_query(schema, "hasVideo", str(q.has_video).lower())
    if q.trade_assurance is not None:
        facets["tradeAssurance"] = Query.term_query(schema, "tradeAssurance", str(q.trade_assurance).lower())
    others: list[Query] = []
    if q.verified_supplier is not None:
        others.append(Query.term_query(schema, "verified", str(q.verified_supplier).lower()))
    if q.price_min is not None or q.price_max is not None:
        others.append(_int_range(schema, "price_min", q.price_min, q.price_max))
    if q.max_moq is not None:
        others.append(_int_range(schema, "moq", None, q.max_moq))
    if q.created_after is not None:
        others.append(_int_range(schema, "created_at", q.created_after + 1, None))
    return facets, others


def live() -> Query:
    """Every document but tombstones (which carry only id and version, so no sort key)."""
    return Query.exists_query("k_new")


def combine(main: Query | None, filters: Sequence[Query]) -> Query:
    clauses = [(Occur.Must, main if main is not None else live())]
    return Query.boolean_query(clauses + [_filter(f) for f in filters])


def exclusion(schema: tantivy.Schema, ids: Collection[str]) -> list[Query]:
    """A filter matching every document but these ids."""
    if not ids:
        return []
    excluded = Query.term_set_query(schema, "id", list(ids))
    return [Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, excluded)])]


def after_bound(schema: tantivy.Schema, field: str, descending: bool, after: SortKey | None) -> list[Query]:
    """Strictly past the last key: exact across segments because each key is unique."""
    if not after:
        return []
    last = int(after[0])
    if descending:
        bound = Query.range_query(schema, field, tantivy.FieldType.Integer, None, last, include_upper=False)
    else:
        bound = Query.range_query(schema, field, tantivy.FieldType.Integer, last, None, include_lower=False)
    return [bound]


def facet_requests(names: Sequence[str], active: Mapping[str, Query]) -> list[tuple[list[str], list[Query]]]:
    """Disjunctive facets as 1 + k aggregate calls: one for the facets without an active filter (with
    every filter), one per facet with an active filter (with every filter but its own)."""
    calls: list[tuple[list[str], list[Query]]] = []
    plain = [n for n in names if n not in active]
    if plain:
        calls.append((plain, list(active.values())))
    for name in names:
        if name in active:
            calls.append(([name], [q for n, q in active.items() if n != name]))
    return calls


def run_facets(
    searcher: tantivy.Searcher,
    base: Query | None,
    others: Sequence[Query],
    active: Mapping[str, Query],
    names: Sequence[str],
) -> dict[str, list[FacetBucket]]:
    result: dict[str, list[FacetBucket]] = {}
    for facet_names, facet_filters in facet_requests(names, active):
        request = {n: {"terms": {"field": n, "size": MAX_FACET_BUCKETS}} for n in facet_names}
        answer = searcher.aggregate(combine(base, [*others, *facet_filters]), request)
        for name in facet_names:
            buckets = [FacetBucket(str(b["key"]), int(b["doc_count"])) for b in answer[name]["buckets"]]
            result[name] = sorted(buckets, key=lambda b: (-b.count, b.value))
    return result
