"""`buyer-api evaluate-feed`: simulated buyers with hidden preferences against the demo catalog.

Each buyer likes one or two verticals (hidden from the ranking). Over a few rounds they browse the
first page of their feed and a page of a category they like, and view what appeals to them (mostly
their verticals, sometimes anything), through the same event and feed services the API uses. Then
the first page of their personalized feed is scored against a popularity-only baseline (the most
popular items of the whole catalog): precision@20 and NDCG@20, an item being relevant when it
belongs to one of the buyer's hidden verticals.
"""

from __future__ import annotations

import math
import random
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.events import EventInput
from app.domain.feeds import FeedItem, ItemKind, ReasonCode
from app.ports import Ports
from app.services.container import Services
from app.services.feeds import FeedViewer
from app.services.transactions import now_ms
from app.settings import Settings
from app.wiring import open_engines

K = 20
LIKE_OWN = 0.7
LIKE_OTHER = 0.05


@dataclass(frozen=True)
class Scores:
    precision: float
    ndcg: float


@dataclass(frozen=True)
class Report:
    buyers: int
    personalized: Scores
    popularity: Scores

    def lines(self) -> list[str]:
        p, b = self.personalized, self.popularity
        return [
            f"simulated buyers: {self.buyers}, first page of {K}",
            f"precision@{K}: personalized {p.precision:.3f}  popularity-only {b.precision:.3f}",
            f"NDCG@{K}:      personalized {p.ndcg:.3f}  popularity-only {b.ndcg:.3f}",
        ]


def precision_at(relevant: Sequence[bool], k: int = K) -> float:
    return sum(relevant[:k]) / k


def ndcg_at(relevant: Sequence[bool], k: int = K) -> float:
    """Binary gains; the ideal ranking puts every relevant item of the list first."""
    gains = [1.0 if r else 0.0 for r in relevant[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1.0 / math.log2(i + 2) for i in range(int(sum(gains))))
    return dcg / ideal if ideal else 0.0


class Simulation:
    def __init__(self, ports: Ports, rng: random.Random) -> None:
        self._ports = ports
        self._services = Services.build(ports)
        self._rng = rng
        self._verticals: dict[tuple[ItemKind, str], tuple[str, ...]] = {}

    async def verticals_of(self, items: Sequence[FeedItem]) -> list[tuple[str, ...]]:
        """The verticals of each item (a supplier's are those it sells in), read in batches."""
        repos = self._ports.repos
        missing = [i for i in items if (i.kind, i.key) not in self._verticals]
        for kind, load in ((ItemKind.PRODUCT, repos.products), (ItemKind.SUPPLIER, repos.suppliers)):
            keys = [i.key for i in missing if i.kind is kind]
            for key, found in zip(keys, await load.get_many(keys), strict=True):
                held = getattr(found, "vertical_key", None)
                self._verticals[kind, key] = (held,) if held else tuple(getattr(found, "vertical_keys", ()))
        keys = [i.key for i in missing if i.kind is ItemKind.ARTICLE]
        for key, article in zip(keys, await repos.articles.get_many(keys), strict=True):
            vertical = article.vertical_key if article is not None else None
            self._verticals[ItemKind.ARTICLE, key] = (vertical,) if vertical else ()
        return [self._verticals[i.kind, i.key] for i in items]

    async def page(self, buyer: str | None, vertical: str | None) -> list[FeedItem]:
        viewer = FeedViewer(buyer, buyer or "-")
        load = self._ports.repos.suppliers.get_many
        return (await self._services.feeds.page(viewer, vertical, K, None, load, now_ms())).items

    async def browse(self, buyer: str, liked: set[str], items: Sequence[FeedItem]) -> None:
        """The buyer views what appeals to them among what they were shown."""
        events: list[EventInput] = []
        now = now_ms()
        for item, verticals in zip(items, await self.verticals_of(items), strict=True):
            chance = LIKE_OWN if liked & set(verticals) else LIKE_OTHER
            if self._rng.random() < chance:
                subject = {
                    ItemKind.PRODUCT: "Product",
                    ItemKind.ARTICLE: "Article",
                    ItemKind.SUPPLIER: "Supplier",
                }
                events.append(EventInput("VIEW", subject[item.kind], item.key, now, None, None))
        await self._services.events.track(buyer, buyer, events, now)

    async def popularity_only(self) -> list[FeedItem]:
        found = await self._ports.search.candidates("product", None, "POPULAR", K)
        return [FeedItem(ItemKind.PRODUCT, c.id, ReasonCode.TRENDING) for c in found]

    async def scores(self, items: Sequence[FeedItem], liked: set[str]) -> Scores:
        relevant = [bool(liked & set(v)) for v in await self.verticals_of(items)]
        return Scores(precision_at(relevant), ndcg_at(relevant))


async def evaluate(ports: Ports, buyers: int, rounds: int, seed: int) -> Report:
    rng = random.Random(seed)
    simulation = Simulation(ports, rng)
    vertical_keys = [v.key for v in await ports.repos.verticals.all()]
    run = secrets.token_hex(4)
    mine: list[Scores] = []
    theirs: list[Scores] = []
    baseline = await simulation.popularity_only()
    for n in range(buyers):
        buyer = f"sim-{run}-{n}"
        liked = set(rng.sample(vertical_keys, rng.choice((1, 2))))
        for _ in range(rounds):
            await simulation.browse(buyer, liked, await simulation.page(buyer, None))
            await simulation.browse(buyer, liked, await simulation.page(buyer, rng.choice(sorted(liked))))
        mine.append(await simulation.scores(await simulation.page(buyer, None), liked))
        theirs.append(await simulation.scores(baseline, liked))
    return Report(buyers, _mean(mine), _mean(theirs))


def _mean(scores: Sequence[Scores]) -> Scores:
    count = max(len(scores), 1)
    return Scores(sum(s.precision for s in scores) / count, sum(s.ndcg for s in scores) / count)


def throwaway_settings(folder: Path) -> Settings:
    """An embedded app in a folder of its own, so an evaluation never writes into a real store."""
    values: dict[str, Any] = {
        "store_url": f"sqlite:///{folder}/buyer.db",
        "search_url": f"tantivy://{folder}/search",
        "broker_url": "memory://",
        "push_url": "log://",
        "auth_mode": "local",
        "auth_secret": "evaluation-" + "x" * 40,
        "webhook_secret": "evaluation-webhook",
        "var_dir": str(folder),
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def run_evaluation(products: int, buyers: int, rounds: int, seed: int) -> Report:
    """Seeds a throwaway demo app, simulates the buyers, and prints precision and NDCG."""
    from app.seed.runner import seed_demo

    with tempfile.TemporaryDirectory(prefix="evaluate-feed-") as folder:
        settings = throwaway_settings(Path(folder))
        await seed_demo(settings, products=products, seed=seed)
        engines = await open_engines(settings, lambda: None)
        try:
            report = await evaluate(engines.ports, buyers, rounds, seed)
        finally:
            await engines.close()
    for line in report.lines():
        print(line)
    return report
