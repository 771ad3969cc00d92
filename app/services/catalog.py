"""Catalog use cases: saving products, following suppliers, writing catalog documents (indexed via outbox)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from app.domain.accounts import Account
from app.domain.catalog_lists import check_list_change
from app.domain.errors import Violation
from app.domain.products import Product, RelatedCandidate, rank_related, related_price_window, usd_bounds
from app.domain.suppliers import Supplier
from app.services.indexing import SEARCH_INDEX, index_entry
from app.services.interests import InterestService, Signal
from app.services.related import RelatedMemo
from app.services.transactions import OutboxRecorder, TransactionRunner
from app.store.repositories import Repositories
from search.port import ProductQuery, SearchEngine, SearchUnavailable

log = logging.getLogger("buyer_api.catalog")

LoadProducts = Callable[[Sequence[str]], Awaitable[list[Product | None]]]


@dataclass(frozen=True)
class SaveResult:
    product: Product | None
    saved: bool
    violations: list[Violation]


@dataclass(frozen=True)
class FollowResult:
    supplier: Supplier | None
    following: bool
    violations: list[Violation]


class CatalogService:
    def __init__(
        self,
        repos: Repositories,
        transactions: TransactionRunner,
        interests: InterestService,
        search: SearchEngine,
    ) -> None:
        self._repos = repos
        self._search = search
        self._transactions = transactions
        self._interests = interests
        self._related = RelatedMemo()

    async def set_saved(self, account: Account, product_key: str | None, saved: bool) -> SaveResult:
        """Idempotent; only a real change feeds interests (saving twice is not twice the interest)."""
        [product] = await self._repos.products.get_many([product_key]) if product_key else [None]
        violations = check_list_change(account, product is not None, "saved products")
        if violations or product is None:
            return SaveResult(None, False, violations)

        async def write(outbox: OutboxRecorder) -> SaveResult:
            if saved:
                changed = await self._repos.saved.add(account.key, product.key, outbox.now)
            else:
                changed = await self._repos.saved.remove(account.key, product.key)
            if changed:
                signal = Signal(
                    "SAVE" if saved else "UNSAVE", product.vertical_key, product.supplier_key, outbox.now
                )
                await self._interests.record(account.key, [signal])
            return SaveResult(product, saved, [])

        return await self._transactions.run(write)

    async def set_following(
        self, account: Account, supplier_key: str | None, following: bool
    ) -> FollowResult:
        [supplier] = await self._repos.suppliers.get_many([supplier_key]) if supplier_key else [None]
        violations = check_list_change(account, supplier is not None, "followed suppliers")
        if violations or supplier is None:
            return FollowResult(None, False, violations)

        async def write(outbox: OutboxRecorder) -> FollowResult:
            if not following:
                await self._repos.follows.remove(account.key, supplier.key)
            elif await self._repos.follows.add(account.key, supplier.key, outbox.now):
                # The supplier's main vertical: following says as much about it as about the supplier.
                vertical = supplier.vertical_keys[0] if supplier.vertical_keys else None
                signal = Signal("FOLLOW", vertical, supplier.key, outbox.now)
                await self._interests.record(account.key, [signal])
            return FollowResult(supplier, following, [])

        return await self._transactions.run(write)

    async def put_product(self, product: Product) -> Product:
        """Stores a new version of the product; the search index follows through the outbox."""

        async def write(outbox: OutboxRecorder) -> Product:
            written = await self._repos.products.put(product)
            await outbox.add(SEARCH_INDEX, index_entry("product", product.key))
            return written

        return await self._transactions.run(write)

    async def put_supplier(self, supplier: Supplier) -> Supplier:
        """Product documents carry the country and badge of their supplier: changing those reindexes them."""

        async def write(outbox: OutboxRecorder) -> Supplier:
            [before] = await self._repos.suppliers.get_many([supplier.key])
            written = await self._repos.suppliers.put(supplier)
            await outbox.add(SEARCH_INDEX, index_entry("supplier", supplier.key))
            badge = (supplier.country, supplier.verified)
            if before is not None and (before.country, before.verified) != badge:
                await outbox.add(SEARCH_INDEX, index_entry("supplier_products", supplier.key))
            return written

        return await self._transactions.run(write)

    async def update_response_stats(
        self, supplier_key: str, response_rate: float | None, median: int | None
    ) -> bool:
        """For the inquiries use cases: last 30 days' reply figures (they feed the service index)."""

        async def write(outbox: OutboxRecorder) -> bool:
            found = await self._repos.suppliers.set_response_stats(supplier_key, response_rate, median)
            if found:
                await outbox.add(SEARCH_INDEX, index_entry("supplier", supplier_key))
            return found

        return await self._transactions.run(write)

    async def related_keys(self, product: Product, first: int, load: LoadProducts) -> list[str]:
        """Asks search for popular products of the vertical in a price band around this one (and, when the
        band is thin, the whole vertical), then ranks them by closeness in price. `load` is the request's
        product DataLoader, so the related products are read once and cached for the page. The ranking
        is kept for a while (`app.services.related`), unless search was unavailable."""
        if first <= 0:
            return []
        memo_key = (product.key, product.version, first)
        kept = self._related.get(memo_key)
        if kept is not None:
            return kept
        keys = await self._rank_related(product, first, load)
        if keys is None:
            return []
        self._related.keep(memo_key, keys)
        return keys

    async def _rank_related(self, product: Product, first: int, load: LoadProducts) -> list[str] | None:
        rates = await self._repos.rates.current()
        price, _ = usd_bounds(product, rates)
        low, high = related_price_window(price)
        wanted = min(first * 3, 100)
        try:
            hits = await self._search.search_products(
                ProductQuery(
                    vertical_id=product.vertical_key,
                    price_min=low,
                    price_max=high,
                    exclude_ids=[product.key],
                    sort="POPULAR",
                    first=wanted,
                    count=False,
                )
            )
            keys = [h.id for h in hits.hits]
            if len(keys) < first:
                wider = ProductQuery(
                    vertical_id=product.vertical_key,
                    exclude_ids=[product.key, *keys],
                    sort="POPULAR",
                    first=wanted,
                    count=False,
                )
                keys += [h.id for h in (await self._search.search_products(wider)).hits]
        except SearchUnavailable:
            log.warning("related products skipped: search unavailable")
            return None
        candidates = [
            RelatedCandidate(p.key, p.vertical_key, usd_bounds(p, rates)[0], p.popularity)
            for p in await load(keys)
            if p is not None
        ]
        return rank_related(product.key, product.vertical_key, price, candidates, first)
