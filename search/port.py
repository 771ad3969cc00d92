"""The search port: documents we index, our own request types, and the contract every engine keeps.

Contract of `SearchEngine` (tested by tests/contract/search on every engine):

- Writes are idempotent and versioned: a document whose `version` is lower than or equal to the
  indexed one is ignored. `delete` is idempotent. Writes are visible after `refresh()`, and within
  2 seconds without it.
- `search_products`: every hit satisfies every filter (bounds inclusive; `price_min`/`price_max`
  bound the document's `price_min`; `max_moq` bounds `moq`); `total` is exact when `count` (the
  default), else not computed (it is then the page's length: counting visits every match); facets (`vertical`,
  `supplierCountry`, `hasVideo`, `tradeAssurance`) are disjunctive (each counted with every filter
  but its own), up to 50 buckets, most frequent first; sorts are exact with ties broken stably;
  passing the last hit's `sort_key` as `after` pages without repeating or skipping.
  `RELEVANCE` without text means `POPULAR`. Text matches titles above descriptions above specs,
  tolerates a one-letter typo in words of 5+ letters (exact matches rank first), matches the last
  word as a prefix, and treats query syntax characters as text. `highlight` is the title
  HTML-escaped with `<em>…</em>` around matched words (None when there is no text).
- `search_articles`: relevance, then newest first; without text, newest first.
- `suggest`: vertical names (from `set_vertical_names`), then product titles, completing the prefix,
  most popular first, without duplicates.
- `candidates`: feed candidates of one kind with what a ranking needs, without a store read or a count.
- A sort key is a JSON-serializable list, opaque to callers.
- Any engine failure (server down, index locked for writing) raises `SearchUnavailable`.
- `bulk_load()`, entered right after `reset()`, is a context for a full rebuild: inside it the `index_*`
  writes go to the fresh indexes without looking up indexed versions (one write per id, and no other
  writer meanwhile) and are made visible rarely; everything written is visible once it exits. Versions
  are still recorded, so later writes keep their versioned semantics.
"""

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Literal

LOCALES: tuple[str, ...] = ("en", "zh", "es", "ru", "pt", "fr", "ar")
FACETS: tuple[str, ...] = ("vertical", "supplierCountry", "hasVideo", "tradeAssurance")
MAX_FACET_BUCKETS = 50

DocKind = Literal["product", "article", "supplier"]
ProductSort = Literal["RELEVANCE", "NEWEST", "PRICE_ASC", "PRICE_DESC", "POPULAR"]
CandidateOrder = Literal["NEW", "POPULAR"]
SortKey = list[int | float]


class SearchUnavailable(Exception):
    """The engine cannot serve this call (server down, writer held by another process, ...)."""


@dataclass(frozen=True)
class ProductDoc:
    id: str
    seq: int
    version: int
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    specs_text: str
    vertical_id: str
    supplier_id: str
    supplier_country: str
    supplier_verified: bool
    trade_assurance: bool
    has_video: bool
    price_min: int
    price_max: int
    moq: int
    created_at: int
    popularity: float


@dataclass(frozen=True)
class ArticleDoc:
    id: str
    seq: int
    version: int
    titles: Mapping[str, str]
    summaries: Mapping[str, str]
    bodies: Mapping[str, str]
    vertical_id: str | None
    tags: Sequence[str]
    published_at: int
    status: str = "PUBLISHED"
    popularity: float = 0.0


@dataclass(frozen=True)
class SupplierDoc:
    id: str
    seq: int
    version: int
    name: str
    vertical_ids: Sequence[str]
    country: str
    verified: bool
    popularity: float
    created_at: int = 0


@dataclass(frozen=True)
class ProductQuery:
    text: str | None = None
    locale: str = "en"
    vertical_id: str | None = None
    price_min: int | None = None
    price_max: int | None = None
    max_moq: int | None = None
    has_video: bool | None = None
    verified_supplier: bool | None = None
    trade_assurance: bool | None = None
    supplier_countries: Sequence[str] | None = None
    created_after: int | None = None
    exclude_ids: Collection[str] = ()
    sort: ProductSort = "RELEVANCE"
    first: int = 20
    after: SortKey | None = None
    facets: bool = False
    # False when the caller shows no total (related products, feed candidates): counting is most of
    # the cost of a small page over a large vertical.
    count: bool = True


@dataclass(frozen=True)
class ArticleQuery:
    text: str | None = None
    locale: str = "en"
    vertical_id: str | None = None
    first: int = 20
    after: SortKey | None = None


@dataclass(frozen=True)
class Hit:
    id: str
    sort_key: SortKey
    highlight: str | None = None


@dataclass(frozen=True)
class FacetBucket:
    value: str
    count: int


@dataclass(frozen=True)
class SearchHits:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetBucket]] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    id: str
    vertical_ids: tuple[str, ...]
    supplier_id: str | None
    created_at: int
    popularity: float


def effective_sort(query: ProductQuery) -> ProductSort:
    """`RELEVANCE` without text means `POPULAR`."""
    if query.sort == "RELEVANCE" and not (query.text or "").strip():
        return "POPULAR"
    return query.sort


class SearchEngine(ABC):
    """One search engine behind the port; see the module docstring for the contract."""

    _vertical_names: Mapping[str, Mapping[str, str]] = {}

    @abstractmethod
    async def search_products(self, query: ProductQuery) -> SearchHits: ...

    @abstractmethod
    async def search_articles(self, query: ArticleQuery) -> SearchHits: ...

    @abstractmethod
    async def suggest(self, prefix: str, locale: str, first: int) -> list[str]: ...

    @abstractmethod
    async def candidates(
        self,
        kind: DocKind,
        vertical_id: str | None,
        order: CandidateOrder,
        first: int,
        exclude_ids: Collection[str] = (),
    ) -> list[Candidate]: ...

    @abstractmethod
    async def index_products(self, docs: Sequence[ProductDoc]) -> None: ...

    @abstractmethod
    async def index_articles(self, docs: Sequence[ArticleDoc]) -> None:
        """Indexes published articles; an article of another status is deleted from the index."""

    @abstractmethod
    async def index_suppliers(self, docs: Sequence[SupplierDoc]) -> None: ...

    @abstractmethod
    async def delete(self, kind: DocKind, ids: Sequence[str]) -> None: ...

    @abstractmethod
    async def count(self, kind: DocKind) -> int: ...

    @abstractmethod
    async def refresh(self) -> None: ...

    @abstractmethod
    async def reset(self) -> None:
        """Drops and recreates every index (before a full reindex)."""

    @abstractmethod
    async def ping(self) -> bool: ...

    @abstractmethod
    async def close(self) -> None: ...

    def bulk_load(self) -> AbstractAsyncContextManager[None]:
        """See the module docstring; an engine without a faster path keeps its ordinary writes."""
        return _ordinary_writes()

    def set_vertical_names(self, names: Mapping[str, Mapping[str, str]]) -> None:
        """Vertical names by id then locale, for `suggest`; kept in memory (they are configuration)."""
        self._vertical_names = names

    def vertical_suggestions(self, prefix: str, locale: str) -> list[str]:
        wanted = prefix.strip().casefold()
        found: list[str] = []
        for by_locale in self._vertical_names.values():
            name = by_locale.get(locale) or by_locale.get("en", "")
            if wanted and any(w.startswith(wanted) for w in [name.casefold(), *name.casefold().split()]):
                found.append(name)
        return sorted(found)


@asynccontextmanager
async def _ordinary_writes() -> AsyncIterator[None]:
    yield
