"""Indexing of the demo products as they are seeded, so the seed need not read a million of them back.

The documents come from `app.services.indexing` (the functions the indexing service and the rebuild
use), over the same domain objects a store read gives, so the index equals a rebuild from the store.
Call inside `SearchEngine.bulk_load()`, right after `reset()`. Suppliers are left to the seed's final
rebuild from the store (a few thousand, and the store may hold others than the seed's).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from rich.progress import Progress

from app.domain.products import Product
from app.domain.suppliers import Supplier
from app.services.indexing import product_doc
from app.store.repositories import Repositories
from search.port import ProductDoc, SearchEngine

BATCH = 10_000


async def index_products(
    repos: Repositories,
    search: SearchEngine,
    products: Sequence[Product],
    suppliers: Sequence[Supplier],
    progress: Progress,
) -> None:
    # The rates the indexing service reads (the seed stored them before the catalog).
    rates = await repos.rates.current()
    by_key = {supplier.key: supplier for supplier in suppliers}
    task = progress.add_task("indexing products", total=len(products))
    # The engine writes one batch (in its own thread) while the next one's documents are built.
    writing: asyncio.Task[None] | None = None
    for start in range(0, len(products), BATCH):
        batch = products[start : start + BATCH]
        docs = [product_doc(p, by_key.get(p.supplier_key), rates) for p in batch]
        if writing is not None:
            await writing
        writing = asyncio.create_task(_index_products(search, docs))
        progress.advance(task, len(batch))
    if writing is not None:
        await writing
    progress.remove_task(task)


async def _index_products(search: SearchEngine, docs: Sequence[ProductDoc]) -> None:
    await search.index_products(docs)
