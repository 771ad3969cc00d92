"""`buyer-api seed --demo`: every part of the demo data in order, a progress bar, a one-line summary."""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from rich.progress import Progress

from app.ports import Ports
from app.seed.articles import seed_articles
from app.seed.catalog import seed_catalog
from app.seed.inquiries import seed_inquiries
from app.seed.orders import seed_orders
from app.seed.reindex import rebuild_kinds
from app.seed.verticals import seed_buyers, seed_verticals
from app.services.transactions import now_ms
from app.settings import Settings
from app.wiring import open_engines


@dataclass(frozen=True)
class SeedPlan:
    ports: Ports
    rng: random.Random
    products: int
    cdn_host: str
    now: int
    progress: Progress
    # Kinds of search documents a part indexed itself from what it generated: the final rebuild skips them.
    indexed: set[str] = field(default_factory=set)


Part = Callable[[SeedPlan], Awaitable[int]]


async def _verticals(plan: SeedPlan) -> int:
    return await seed_verticals(plan.ports.repos, plan.cdn_host, plan.now)


async def _buyers(plan: SeedPlan) -> int:
    return await seed_buyers(plan.ports.repos, plan.rng, plan.now)


async def _catalog(plan: SeedPlan) -> int:
    suppliers, products = await seed_catalog(
        plan.ports.repos, plan.ports.search, plan.rng, plan.products, plan.cdn_host, plan.now, plan.progress
    )
    if suppliers:  # the catalog was seeded (not left as it was): every stored product is indexed
        plan.indexed.add("product")
    return products


async def _articles(plan: SeedPlan) -> int:
    return await seed_articles(plan.ports.repos, plan.rng, plan.cdn_host, plan.now)


PARTS: list[tuple[str, Part]] = [("verticals", _verticals), ("products", _catalog), ("buyers", _buyers)]
# Articles name seeded products in their blocks: they come after the catalog.
PARTS.append(("articles", _articles))


async def _inquiries(plan: SeedPlan) -> int:
    return await seed_inquiries(plan.ports.repos, plan.rng, plan.now)


PARTS.append(("inquiries", _inquiries))


async def _orders(plan: SeedPlan) -> int:
    return await seed_orders(plan.ports.repos, plan.rng, plan.products, plan.now, plan.progress)


# Orders name seeded buyers and products: they come after both.
PARTS.append(("orders", _orders))


async def seed_demo(settings: Settings, *, products: int, seed: int) -> None:
    if products < 0:
        raise SystemExit("buyer-api seed: --products must be 0 or more")
    started = time.perf_counter()
    engines = await open_engines(settings, lambda: None)
    counts: dict[str, int] = {}
    try:
        with Progress(transient=True) as progress:
            rng, cdn_host = random.Random(seed), settings.media_host_list[0]
            plan = SeedPlan(engines.ports, rng, products, cdn_host, now_ms(), progress)
            search = engines.ports.search
            # A seeded app is searchable at once. The parts index what they generate in one bulk load
            # (reading a million products back would take longer than generating them); the rest is
            # indexed from the store at the end, as `buyer-api reindex` does.
            await search.reset()
            async with search.bulk_load():
                for name, part in PARTS:
                    counts[name] = await part(plan)
                await rebuild_kinds(engines.ports, progress, skip=plan.indexed)
            await search.refresh()
    finally:
        await engines.close()
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    print(f"seeded {summary} in {time.perf_counter() - started:.1f} s")
