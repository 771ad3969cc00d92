"""`buyer-api reindex`: rebuilds the search index from the store, in bulk, with a progress bar."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import nullcontext
from typing import Any

from rich.progress import Progress

from app.ports import Ports
from app.services.articles import index_articles
from app.services.indexing import IndexingService
from app.settings import Settings
from app.wiring import open_engines

BATCH = 5_000


async def reindex(settings: Settings) -> None:
    started = time.perf_counter()
    engines = await open_engines(settings, lambda: None)
    try:
        counts = await rebuild(engines.ports)
    finally:
        await engines.close()
    summary = ", ".join(f"{count} {kind}s" for kind, count in counts.items()) or "nothing"
    print(f"reindexed {summary} in {time.perf_counter() - started:.1f} s")


# One entry per kind of document: (kind, the store's batches, what indexes a batch, how many there are).
Rebuilder = tuple[
    str,
    Callable[[], AsyncIterator[Sequence[Any]]],
    Callable[[Sequence[Any]], Awaitable[None]],
    Callable[[], Awaitable[int]],
]


def rebuilders(ports: Ports) -> list[Rebuilder]:
    indexing = IndexingService(ports.repos, ports.search)
    repos = ports.repos
    return [
        ("product", lambda: repos.products.batches(BATCH), indexing.index_products, repos.products.count),
        ("supplier", lambda: repos.suppliers.batches(BATCH), indexing.index_suppliers, repos.suppliers.count),
        # Articles: the content use cases add their (kind, batches, index, count) entry here.
        (
            "article",
            lambda: repos.articles.all_batches(BATCH),
            index_articles(ports.search),
            repos.articles.count,
        ),
    ]


async def _awaited(pending: Awaitable[None]) -> None:
    await pending


async def rebuild(ports: Ports, progress: Progress | None = None) -> dict[str, int]:
    """Drops the indexes and writes every document again from the store, a batch per call.

    Pass the caller's `progress` when one is already on screen (rich shows one live display at a time).
    """
    await ports.search.reset()
    # The bulk path: no version lookups on the fresh indexes, rare commits; all visible when it exits.
    async with ports.search.bulk_load():
        with nullcontext(progress) if progress is not None else Progress(transient=True) as shown:
            counts = await rebuild_kinds(ports, shown)
    await ports.search.refresh()
    return counts


async def rebuild_kinds(ports: Ports, shown: Progress, skip: Collection[str] = ()) -> dict[str, int]:
    """Indexes every kind but `skip` from the store; call inside `bulk_load()` after `reset()`."""
    counts: dict[str, int] = {}
    for kind, batches, index, count in rebuilders(ports):
        if kind in skip:
            continue
        task = shown.add_task(f"indexing {kind}s", total=await count())
        counts[kind] = 0
        # The engine writes one batch (in its own thread) while the store reads the next.
        writing: asyncio.Task[None] | None = None
        async for batch in batches():
            if writing is not None:
                await writing
            writing = asyncio.create_task(_awaited(index(batch)))
            counts[kind] += len(batch)
            shown.advance(task, len(batch))
        if writing is not None:
            await writing
        shown.remove_task(task)
    return counts
