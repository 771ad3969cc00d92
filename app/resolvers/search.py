"""searchProducts, searchArticles and suggest: arguments to a search request, hits to store objects."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from app.context import Info
from app.domain.articles import visible_to_public
from app.domain.ids import key_of, to_global_id
from app.schema.articles.types import Article, ArticleConnection, ArticleEdge
from app.schema.errors import bad_input
from app.schema.paging import MAX_FIRST, build_page, page_request
from app.schema.products import catalog_view, load_products
from app.schema.search import (
    Facet,
    FacetBucket,
    ProductFilter,
    ProductSearchConnection,
    ProductSearchEdge,
    ProductSort,
)
from app.services.search import (
    Display,
    ProductFilterInput,
    SearchInputError,
    article_query,
    facet_label,
    product_query,
)
from search.port import FACETS, Hit
from search.port import FacetBucket as EngineBucket


def _fields(selections: Sequence[Selection]) -> Iterator[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from _fields(selection.selections)


def _asks_facets(info: Info) -> bool:
    """Facets cost the engine extra aggregations: computed only when the client selects them."""
    return any(f.name == "facets" for root in info.selected_fields for f in _fields(root.selections))


async def _facets(info: Info, found: dict[str, list[EngineBucket]]) -> list[Facet]:
    """Values are the vertical's global id, the country code or "true"/"false"; labels in the locale."""
    locale = info.context.locale
    vertical_keys = [b.value for b in found.get("vertical", [])]
    verticals = await info.context.loaders.vertical_by_key.load_many(vertical_keys)
    names = {v.key: v.name(locale) for v in verticals if v is not None}
    facets: list[Facet] = []
    for name in FACETS:
        buckets = [
            FacetBucket(
                value=to_global_id("Vertical", b.value) if name == "vertical" else b.value,
                label=facet_label(name, b.value, locale, names),
                count=b.count,
            )
            for b in found.get(name, [])
        ]
        facets.append(Facet(field=name, buckets=buckets))
    return facets


def _sort_key(hit: Hit) -> list[int | float]:
    return hit.sort_key


@strawberry.type
class SearchQuery:
    @strawberry.field
    async def search_products(
        self,
        info: Info,
        query: str | None = None,
        filter: ProductFilter | None = None,
        sort: ProductSort | None = ProductSort.RELEVANCE,
        first: int | None = 20,
        after: str | None = None,
    ) -> ProductSearchConnection:
        """Every hit satisfies every filter; cursors carry the engine sort key, signed for the arguments."""
        chosen_sort = sort or ProductSort.RELEVANCE
        scope = [query, filter.scope() if filter is not None else None, chosen_sort.value]
        request = page_request(info, "searchProducts", first, after, default=20, personal=False, args=scope)
        chosen = filter.to_input() if filter is not None else ProductFilterInput()
        view = await catalog_view(info)
        display = Display(view.locale, view.currency, view.rates)
        try:
            wanted = product_query(
                query, chosen, chosen_sort.value, display, request.fetch, request.after, _asks_facets(info)
            )
        except SearchInputError as error:
            raise bad_input(str(error)) from None
        found = await info.context.ports.search.search_products(wanted)
        page = build_page(info, request, found.hits, _sort_key)
        products = await load_products(info, [hit.id for hit in page.items])
        edges = [
            ProductSearchEdge(cursor=cursor, node=product, highlight=hit.highlight)
            for hit, cursor, product in zip(page.items, page.cursors, products, strict=True)
            # A product deleted since it was indexed leaves the index within seconds; skip it meanwhile.
            if product is not None
        ]
        facets = await _facets(info, found.facets) if wanted.facets else []
        return ProductSearchConnection(
            total_count=found.total, facets=facets, edges=edges, page_info=page.page_info
        )

    @strawberry.field
    async def search_articles(
        self,
        info: Info,
        query: str,
        vertical: strawberry.ID | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> ArticleConnection:
        """Published articles only, for every role: relevance, then newest first."""
        vertical_key = key_of(vertical, "Vertical") if vertical is not None else None
        if vertical is not None and vertical_key is None:
            raise bad_input("`vertical` is not a vertical id.")
        request = page_request(
            info, "searchArticles", first, after, default=20, personal=False, args=[query, vertical_key]
        )
        locale = info.context.locale
        try:
            wanted = article_query(query, vertical_key, locale, request.fetch, request.after)
        except SearchInputError as error:
            raise bad_input(str(error)) from None
        found = await info.context.ports.search.search_articles(wanted)
        page = build_page(info, request, found.hits, _sort_key)
        articles = await info.context.loaders.article_by_key.load_many([hit.id for hit in page.items])
        edges = [
            ArticleEdge(cursor=cursor, node=Article.from_domain(article, locale))
            for cursor, article in zip(page.cursors, articles, strict=True)
            # The index follows the store through the outbox: an article unpublished a moment ago is skipped.
            if article is not None and visible_to_public(article)
        ]
        return ArticleConnection(edges=edges, page_info=page.page_info)

    @strawberry.field
    async def suggest(self, info: Info, prefix: str, first: int | None = 8) -> list[str]:
        """Completions from vertical names and product titles, in the request's language."""
        count = 8 if first is None else first
        if count < 0 or count > MAX_FIRST:
            raise bad_input(f"`first` must be between 0 and {MAX_FIRST}; got {count}.")
        if len(prefix) > 200:
            raise bad_input("`prefix` may have at most 200 characters.")
        if not prefix.strip() or count == 0:
            return []
        return await info.context.ports.search.suggest(prefix.strip(), info.context.locale, count)
