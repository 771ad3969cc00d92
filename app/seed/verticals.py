"""Seeds the verticals, the exchange-rate table and the demo buyers."""

from __future__ import annotations

import random

from app.domain.accounts import Account, Role
from app.domain.media import StoredImage
from app.domain.verticals import Vertical
from app.seed.facts import DEMO_RATES, buyer_markets, vertical_facts
from app.store.repositories import Repositories

DEMO_BUYER_NAMES = ("Amelia", "Rahul", "Oliver", "Ji-woo", "Ka Ho", "Lena", "Mia", "Dmitri", "Linh", "Yuki")


def vertical_key(slug: str) -> str:
    return f"v-{slug}"


def demo_verticals(cdn_host: str) -> list[Vertical]:
    return [
        Vertical(
            key=vertical_key(fact.slug),
            slug=fact.slug,
            names=fact.names,
            hs_headings=(fact.hs,),
            position=position,
            cover=StoredImage(cdn_host, f"verticals/{fact.slug}.jpg", 1600, 900, fact.names["en"]),
        )
        for position, fact in enumerate(vertical_facts())
    ]


async def seed_verticals(repos: Repositories, cdn_host: str, now: int) -> int:
    verticals = demo_verticals(cdn_host)
    await repos.verticals.upsert_many(verticals)
    await repos.rates.load(DEMO_RATES, now)
    return len(verticals)


async def seed_buyers(repos: Repositories, rng: random.Random, now: int, count: int = 40) -> int:
    """Demo buyers sign in with subjects `demo-buyer-N` (tokens from `buyer-api token`)."""
    markets = buyer_markets()
    existing = {a.key for a in await repos.accounts.get_many([f"demo-buyer-{i}" for i in range(count)]) if a}
    for index in range(count):
        key = f"demo-buyer-{index}"
        if key in existing:
            continue
        await repos.accounts.insert(
            Account(
                key=key,
                subject=key,
                role=Role.BUYER,
                supplier_key=None,
                display_name=f"{DEMO_BUYER_NAMES[index % len(DEMO_BUYER_NAMES)]} {index}"
                if index % 3
                else None,
                country=markets[index % len(markets)],
                locale=None,
                currency=None,
                created_at=now - rng.randint(1, 400) * 86_400_000,
            )
        )
    return count
