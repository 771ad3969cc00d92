"""The embedded search engine: tantivy indexes on disk under one folder, behind the search port."""

import asyncio
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import tantivy
from tantivy import Query

from search.port import (
    FACETS,
    ArticleDoc,
    ArticleQuery,
    Candidate,
    CandidateOrder,
    DocKind,
    Hit,
    ProductDoc,
    ProductQuery,
    SearchEngine,
    SearchHits,
    SupplierDoc,
    effective_sort,
)
from search.tantivy_index import KindIndex, Pending
from search.tantivy_query import (
    after_bound,
    combine,
    exclusion,
    product_filters,
    run_facets,
    text_query,
    words,
)
from search.tantivy_read import Scored, highlighter, relevance_page, sorted_page, stored
from search.tantivy_schema import article_document, product_document, supplier_document

T = TypeVar("T")

SORT_FIELDS: dict[str, tuple[str, bool]] = {
    "NEWEST": ("k_new", True),
    "POPULAR": ("k_popular", True),
    "PRICE_ASC": ("k_price_asc", False),
    "PRICE_DESC": ("k_price_desc", True),
}


class TantivyEngine(SearchEngine):
    """Searches run in worker threads (tantivy releases the GIL); writes commit and reload at once."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._indexes: dict[DocKind, KindIndex] = {
            kind: KindIndex(kind, path / f"{kind}s") for kind in ("product", "article", "supplier")
        }
        self._bulk = False

    @property
    def read_only(self) -> bool:
        return any(ix.read_only for ix in self._indexes.values())

    async def _run(self, call: Callable[[], T]) -> T:
        return await asyncio.to_thread(call)

    async def search_products(self, query: ProductQuery) -> SearchHits:
        return await self._run(lambda: self._search_products(query))

    def _search_products(self, q: ProductQuery) -> SearchHits:
        # A query's repr names every field and value (it is a dataclass of plain values): a cache key.
        return _copy(self._indexes["product"].cached(repr(q), lambda searcher: self._products(searcher, q)))

    def _products(self, searcher: tantivy.Searcher, q: ProductQuery) -> SearchHits:
        ix = self._indexes["product"]
        text = text_query(ix.schema, q.text, q.locale, specs=True)
        active, others = product_filters(ix.schema, q)
        others += exclusion(ix.schema, q.exclude_ids)
        query = combine(text, [*others, *active.values()])
        sort = effective_sort(q)
        if sort == "RELEVANCE" and text is None:
            sort = "POPULAR"  # the text had no words, only separators
        if sort == "RELEVANCE":
            total, page = relevance_page(searcher, ix.schema, query, q.first, q.after, q.count)
        else:
            field, descending = SORT_FIELDS[sort]
            bound = after_bound(ix.schema, field, descending, q.after)
            paged = combine(query, bound) if bound else query
            total, page = sorted_page(searcher, query, paged, field, descending, q.first, q.count)
        hits = self._hits(searcher, page, q.text, q.locale)
        facets = run_facets(searcher, text, others, active, FACETS) if q.facets else {}
        return SearchHits(total, hits, facets)

    async def search_articles(self, query: ArticleQuery) -> SearchHits:
        return await self._run(lambda: self._search_articles(query))

    def _search_articles(self, q: ArticleQuery) -> SearchHits:
        return _copy(self._indexes["article"].cached(repr(q), lambda searcher: self._articles(searcher, q)))

    def _articles(self, searcher: tantivy.Searcher, q: ArticleQuery) -> SearchHits:
        ix = self._indexes["article"]
        text = text_query(ix.schema, q.text, q.locale, specs=False)
        filters = [Query.term_query(ix.schema, "vertical", q.vertical_id)] if q.vertical_id else []
        query = combine(text, filters)
        if text is not None:
            total, page = relevance_page(searcher, ix.schema, query, q.first, q.after)
        else:
            bound = after_bound(ix.schema, "k_new", True, q.after)
            paged = combine(query, bound) if bound else query
            total, page = sorted_page(searcher, query, paged, "k_new", True, q.first)
        return SearchHits(total, self._hits(searcher, page, q.text, q.locale))

    def _hits(
        self, searcher: tantivy.Searcher, page: list[Scored], text: str | None, locale: str
    ) -> list[Hit]:
        mark = highlighter(text, locale) if words(text) else None
        hits: list[Hit] = []
        for sort_key, address in page:
            doc = searcher.doc(address)
            highlight = None
            if mark is not None:
                title_locale = locale if doc.get_first(f"title_{locale}") else "en"
                highlight = mark(str(doc.get_first(f"title_{title_locale}") or ""), title_locale)
            hits.append(Hit(str(doc.get_first("id")), sort_key, highlight))
        return hits

    async def suggest(self, prefix: str, locale: str, first: int) -> list[str]:
        return await self._run(lambda: self._suggest(prefix, locale, first))

    def _suggest(self, prefix: str, locale: str, first: int) -> list[str]:
        key = repr(("suggest", prefix, locale, first))
        titles = self._indexes["product"].cached(
            key, lambda searcher: self._titles(searcher, prefix, locale, first)
        )
        return list(dict.fromkeys([*self.vertical_suggestions(prefix, locale), *titles]))[:first]

    def _titles(self, searcher: tantivy.Searcher, prefix: str, locale: str, first: int) -> list[str]:
        """Titles of the most popular products completing `prefix`."""
        schema = self._indexes["product"].schema
        text = text_query(schema, prefix, locale, specs=False)
        if text is None or first <= 0:
            return []
        _, page = sorted_page(searcher, text, text, "k_popular", True, first * 3, counted=False)
        titles: list[str] = []
        for _, address in page:
            doc = searcher.doc(address)
            title = doc.get_first(f"title_{locale}") or doc.get_first("title_en")
            if title is not None:
                titles.append(str(title))
        return titles

    async def candidates(
        self,
        kind: DocKind,
        vertical_id: str | None,
        order: CandidateOrder,
        first: int,
        exclude_ids: Collection[str] = (),
    ) -> list[Candidate]:
        return await self._run(lambda: self._candidates(kind, vertical_id, order, first, exclude_ids))

    def _candidates(
        self,
        kind: DocKind,
        vertical_id: str | None,
        order: CandidateOrder,
        first: int,
        exclude: Collection[str],
    ) -> list[Candidate]:
        key = repr(("candidates", vertical_id, order, first, sorted(exclude)))
        ix = self._indexes[kind]
        found = ix.cached(
            key, lambda searcher: self._candidate_page(searcher, kind, vertical_id, order, first, exclude)
        )
        return list(found)

    def _candidate_page(
        self,
        searcher: tantivy.Searcher,
        kind: DocKind,
        vertical_id: str | None,
        order: CandidateOrder,
        first: int,
        exclude: Collection[str],
    ) -> list[Candidate]:
        ix = self._indexes[kind]
        filters = [Query.term_query(ix.schema, "vertical", vertical_id)] if vertical_id else []
        query = combine(None, filters + exclusion(ix.schema, exclude))
        field = "k_new" if order == "NEW" else "k_popular"
        _, page = sorted_page(searcher, query, query, field, True, first, counted=False)
        return [stored(searcher.doc(address), kind) for _, address in page]

    async def index_products(self, docs: Sequence[ProductDoc]) -> None:
        await self._write("product", [(d.id, d.version, product_document(d)) for d in docs])

    async def index_articles(self, docs: Sequence[ArticleDoc]) -> None:
        pending = [(d.id, d.version, article_document(d) if d.status == "PUBLISHED" else None) for d in docs]
        await self._write("article", pending)

    async def index_suppliers(self, docs: Sequence[SupplierDoc]) -> None:
        await self._write("supplier", [(d.id, d.version, supplier_document(d)) for d in docs])

    async def _write(self, kind: DocKind, pending: list[Pending]) -> None:
        if not pending:
            return
        ix = self._indexes[kind]
        await self._run(lambda: ix.write_bulk(pending) if self._bulk else ix.write(pending))

    @asynccontextmanager
    async def bulk_load(self) -> AsyncIterator[None]:
        """Each index gets a large writer that adds without version lookups; exiting commits and reloads."""
        for ix in self._indexes.values():
            await self._run(ix.begin_bulk)
        self._bulk = True
        try:
            yield
        finally:
            self._bulk = False
            for ix in self._indexes.values():
                await self._run(ix.end_bulk)

    async def delete(self, kind: DocKind, ids: Sequence[str]) -> None:
        if ids:
            await self._run(lambda: self._indexes[kind].delete(ids))

    async def count(self, kind: DocKind) -> int:
        return await self._run(self._indexes[kind].count)

    async def refresh(self) -> None:
        for ix in self._indexes.values():
            await self._run(ix.reload)

    async def reset(self) -> None:
        for ix in self._indexes.values():
            await self._run(ix.clear)

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        for ix in self._indexes.values():
            await self._run(ix.close)


def _copy(found: SearchHits) -> SearchHits:
    """A cached result is shared: each caller gets lists of its own."""
    return SearchHits(found.total, list(found.hits), dict(found.facets))


def open_tantivy(path: str | Path) -> TantivyEngine:
    """Opens (creating if needed) the indexes under `path`; read-only where another process writes."""
    return TantivyEngine(Path(path))
