"""Response cache invalidation: after the outbox entries of writes that change what anonymous public
reads show, the cache entries tagged with the written nodes' ids go, on every instance."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from app.cache.port import CacheUnavailable, ResponseCache
from app.domain.ids import to_global_id
from app.outbox.dispatcher import Handler, RetryLater
from app.services.articles import INDEX_ARTICLE
from app.services.indexing import SEARCH_INDEX
from app.store.repositories import Repositories

TagsOf = Callable[[dict[str, Any]], Awaitable[set[str]]]


def invalidating(
    handlers: Mapping[str, Handler], cache: ResponseCache | None, repos: Repositories
) -> dict[str, Handler]:
    """The handlers, those of product, supplier and article writes followed by their invalidation."""
    if cache is None:
        return dict(handlers)

    async def indexed(payload: dict[str, Any]) -> set[str]:
        kind, key = payload["kind"], payload["key"]
        if kind != "product":
            # A supplier's own write, or its country or badge copied onto its products: every page
            # showing supplier fields shows the supplier's id too.
            return {to_global_id("Supplier", key)}
        [product] = await repos.products.get_many([key])
        tags = {to_global_id("Product", key)}
        if product is not None:
            # The supplier's page lists its products: a new one is not on it yet, so not tagged.
            tags.add(to_global_id("Supplier", product.supplier_key))
        return tags

    async def article(payload: dict[str, Any]) -> set[str]:
        return {to_global_id("Article", payload["key"])}

    return {
        **handlers,
        SEARCH_INDEX: _then_invalidate(handlers[SEARCH_INDEX], cache, indexed),
        INDEX_ARTICLE: _then_invalidate(handlers[INDEX_ARTICLE], cache, article),
    }


def _then_invalidate(handler: Handler, cache: ResponseCache, tags_of: TagsOf) -> Handler:
    """After the index write, so a page refilled at once already finds the product among the related
    ones of its neighbours; a failed invalidation retries the entry (index writes are versioned)."""

    async def handle(payload: dict[str, Any]) -> None:
        await handler(payload)
        try:
            await cache.invalidate(await tags_of(payload))
        except CacheUnavailable as error:
            raise RetryLater(f"response cache invalidation: {error}") from None

    return handle
