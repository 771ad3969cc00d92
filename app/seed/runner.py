"""`buyer-api seed --demo`: every part of the demo data in order, a progress bar, a one-line summary."""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from rich.progress import Progress

from app.ports import Ports
from app.services.transactions import now_ms
from app.settings import Settings
from app.seed.verticals import seed_buyers, seed_verticals
from app.wiring import open_engines


@dataclass(frozen=True)
class SeedPlan:
    ports: Ports
    rng: random.Random
    products: int
    cdn_host: str
    now: int
    progress: Progress


Part = Callable[[SeedPlan], Awaitable[int]]


async def _verticals(plan: SeedPlan) -> int:
    return await seed_verticals(plan.ports.repos, plan.cdn_host, plan.now)


async def _buyers(plan: SeedPlan) -> int:
    return await seed_buyers(plan.ports.repos, plan.rng, plan.now)


PARTS: list[tuple[str, Part]] = [("verticals", _verticals), ("buyers", _buyers)]


async def seed_demo(settings: Settings, *, products: int, seed: int) -> None:
    if products < 0:
        raise SystemExit("buyer-api seed: --products must be 0 or more")
    started = time.perf_counter()
    engines = await open_engines(settings, lambda: None)
    counts: dict[str, int] = {}
    try:
        with Progress(transient=True) as progress:
            plan = SeedPlan(engines.ports, random.Random(seed), products, settings.media_host_list[0], now_ms(), progress)
            for name, part in PARTS:
                counts[name] = await part(plan)
    finally:
        await engines.close()
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    print(f"seeded {summary} in {time.perf_counter() - started:.1f} s")
