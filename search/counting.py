"""A SearchEngine wrapper that counts every round trip for `QUERY_STATS=1`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager

from search.port import (
    ArticleDoc,
    ArticleQuery,
    Candidate,
    CandidateOrder,
    DocKind,
    ProductDoc,
    ProductQuery,
    SearchEngine,
    SearchHits,
    SupplierDoc,
)


class CountingSearch(SearchEngine):
    """`count_call` is told of each call; the engine stays unaware of requests and their stats."""

    def __init__(self, inner: SearchEngine, count_call: Callable[[], None]) -> None:
        self._inner = inner
        self._count = count_call

    async def search_products(self, query: ProductQuery) -> SearchHits:
        self._count()
        return await self._inner.search_products(query)

    async def search_articles(self, query: ArticleQuery) -> SearchHits:
        self._count()
        return await self._inner.search_articles(query)

    async def suggest(self, prefix: str, locale: str, first: int) -> list[str]:
        self._count()
        return await self._inner.suggest(prefix, locale, first)

    async def candidates(
        self,
        kind: DocKind,
        vertical_id: str | None,
        order: CandidateOrder,
        first: int,
        exclude_ids: Collection[str] = (),
    ) -> list[Candidate]:
        self._count()
        return await self._inner.candidates(kind, vertical_id, order, first, exclude_ids)

    async def index_products(self, docs: Sequence[ProductDoc]) -> None:
        self._count()
        await self._inner.index_products(docs)

    async def index_articles(self, docs: Sequence[ArticleDoc]) -> None:
        self._count()
        await self._inner.index_articles(docs)

    async def index_suppliers(self, docs: Sequence[SupplierDoc]) -> None:
        self._count()
        await self._inner.index_suppliers(docs)

    async def delete(self, kind: DocKind, ids: Sequence[str]) -> None:
        self._count()
        await self._inner.delete(kind, ids)

    async def count(self, kind: DocKind) -> int:
        self._count()
        return await self._inner.count(kind)

    async def refresh(self) -> None:
        await self._inner.refresh()

    async def reset(self) -> None:
        await self._inner.reset()

    async def ping(self) -> bool:
        return await self._inner.ping()

    async def close(self) -> None:
        await self._inner.close()

    def bulk_load(self) -> AbstractAsyncContextManager[None]:
        return self._inner.bulk_load()

    def set_vertical_names(self, names: Mapping[str, Mapping[str, str]]) -> None:
        self._inner.set_vertical_names(names)

    def vertical_suggestions(self, prefix: str, locale: str) -> list[str]:
        return self._inner.vertical_suggestions(prefix, locale)
