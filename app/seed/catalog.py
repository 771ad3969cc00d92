"""The demo catalog: suppliers from leading provinces and overseas, products over verticals by export share.

Deterministic from the seed's random generator; products are built as compact documents and written with
`insert_many` in batches, so a million of them load in minutes. The catalog is indexed from what was
generated (`app.seed.catalog_index`), not read back from the store.
"""

from __future__ import annotations

import gc
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any

from rich.progress import Progress

from app.domain.media import StoredImage
from app.domain.money import convert
from app.domain.products import Product
from app.domain.suppliers import Certificate, CertificateKind, Supplier
from app.seed import catalog_texts as texts
from app.seed.catalog_index import index_products
from app.seed.facts import DEMO_RATES, supplier_provinces, vertical_facts
from app.store.products import product_from_doc
from app.store.repositories import Repositories
from search.port import SearchEngine

BATCH = 5_000
DAY_MS = 86_400_000
VIDEO_SHARE = 0.30
TRANSLATED_SHARE = 0.40
# Overseas supplier countries and a region of each, beside the Chinese provinces.
OVERSEAS = (
    ("VN", "Ho Chi Minh City"),
    ("IN", "Gujarat"),
    ("TR", "Istanbul"),
    ("TH", "Bangkok"),
    ("MY", "Selangor"),
    ("ID", "West Java"),
    ("PK", "Punjab"),
    ("BD", "Dhaka"),
)
OVERSEAS_SHARE = 0.15
# The unit price around which each vertical's demo prices scatter, in US cents.
TYPICAL_PRICE = {
    "furniture": 9_000,
    "seating": 4_500,
    "displays": 12_000,
    "computers": 15_000,
    "steel-sections": 60_000,
    "soft-drinks": 80,
    "plastic-goods": 300,
    "cables": 500,
}
MOQS = (1, 2, 10, 50, 100, 200, 500, 1000)


@dataclass
class SupplierPlan:
    key: str
    seq: int
    country: str
    region: str
    currency: str
    primary: str
    sold_in: Counter[str] = field(default_factory=Counter)


def supplier_count(products: int) -> int:
    """About one supplier per 25 products, at least one per vertical and a dozen in all."""
    return max(24, products // 25 + 1)


def _plan_suppliers(
    rng: random.Random, count: int, vertical_keys: list[str], weights: list[float]
) -> list[SupplierPlan]:
    provinces = supplier_provinces()
    # Leading provinces host more suppliers: weight by rank, as the facts are ordered.
    province_weights = [1.0 / (rank + 1) for rank in range(len(provinces))]
    plans: list[SupplierPlan] = []
    for index in range(count):
        if rng.random() < OVERSEAS_SHARE:
            country, region = rng.choice(OVERSEAS)
        else:
            country, region = "CN", rng.choices(provinces, weights=province_weights)[0]
        currency = "CNY" if country == "CN" and rng.random() < 0.15 else "EUR" if country == "TR" else "USD"
        # The first suppliers cover every vertical once, so each vertical has someone selling in it.
        primary = (
            vertical_keys[index] if index < len(vertical_keys) else rng.choices(vertical_keys, weights)[0]
        )
        plans.append(SupplierPlan(f"s-{index:06d}", index + 1, country, region, currency, primary))
    return plans


def _tiers(rng: random.Random, slug: str, currency: str, rates: dict[str, Decimal]) -> list[list[int]]:
    base_usd = max(5, int(rng.lognormvariate(0, 0.7) * TYPICAL_PRICE.get(slug, 1_500)))
    base = max(1, convert(base_usd, "USD", currency, rates))
    moq = rng.choice(MOQS)
    steps = rng.randint(1, 4)
    return [[moq * (1, 5, 20, 100)[i], max(1, int(base * (1.0, 0.92, 0.85, 0.78)[i]))] for i in range(steps)]


def _texts(
    rng: random.Random, slug: str, model: str, place: str, moq: int, days: int, index: int
) -> tuple[dict[str, str], dict[str, str]]:
    phrase = rng.choice(texts.phrases(slug))
    share = (index * 7919 % 100) / 100  # a fixed share of the catalog, spread evenly over it
    locales = texts.LOCALES if share < TRANSLATED_SHARE else ("en", "zh") if share < 0.6 else ("en",)
    titles = {loc: f"{phrase[loc]} {model}" for loc in locales}
    descriptions = {
        loc: texts.DESCRIPTIONS[loc].format(phrase=phrase[loc], place=place, moq=moq, days=days)
        for loc in locales
    }
    return titles, descriptions


def _media(rng: random.Random) -> dict[str, Any]:
    square = rng.random() < 0.6
    images = [[1200, 1200] if square else [1600, 1200] for _ in range(rng.randint(2, 6))]
    video = None
    if rng.random() < VIDEO_SHARE:
        heights = [1080, 720, 480, 360] if rng.random() < 0.7 else [720, 480, 360]
        video = {"dur": rng.randint(12, 120), "h": heights}
    pano = [4096, 2048] if rng.random() < 0.1 else None
    return {"images": images, "video": video, "pano": pano}


def product_document(
    rng: random.Random,
    index: int,
    supplier: SupplierPlan,
    vertical: str,
    host: str,
    now: int,
    rates: dict[str, Decimal],
) -> dict[str, Any]:
    slug = vertical.removeprefix("v-")
    tiers = _tiers(rng, slug, supplier.currency, rates)
    days = rng.randint(3, 45)
    model = (
        f"{rng.choice('ABCDEFGHJKLMNPRSTWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTWXZ')}-{rng.randint(100, 999)}"
    )
    titles, descriptions = _texts(rng, slug, model, supplier.region, tiers[0][0], days, index)
    specs = [
        ["Material", rng.choice(texts.MATERIALS)],
        ["Color", rng.choice(texts.COLORS)],
        ["Packaging", "Export carton"],
        ["Warranty", f"{rng.randint(1, 3)} years"],
    ]
    return {
        "_id": f"p-{index:07d}",
        "seq": index + 1,
        "version": 1,
        "supplier_key": supplier.key,
        "vertical_key": vertical,
        "titles": titles,
        "descriptions": descriptions,
        "currency": supplier.currency,
        "tiers": tiers,
        "unit": "pieces",
        "specs": specs[: rng.randint(2, 4)],
        "host": host,
        **_media(rng),
        "lead_days": days,
        "ta": rng.random() < 0.6,
        "created_at": now - rng.randint(0, 365 * DAY_MS),
        "popularity": round((rng.paretovariate(1.6) - 1) * 10, 2),
    }


def _supplier(rng: random.Random, plan: SupplierPlan, host: str, now: int) -> Supplier:
    name = f"{plan.region} {rng.choice(texts.COMPANY_WORDS)}{rng.choice(texts.COMPANY_WORDS).lower()} "
    name += f"{rng.choice(texts.COMPANY_KINDS)} Co., Ltd."
    certificates = tuple(
        Certificate(CertificateKind(kind), label, rng.random() < 0.42)
        for kind, label in rng.sample(texts.CERTIFICATES, rng.randint(0, 4))
    )
    verified = rng.random() < 0.55
    answered = rng.random() < 0.7  # the rest have had no inquiries yet: figures unknown
    verticals = tuple(key for key, _ in plan.sold_in.most_common()) or (plan.primary,)
    return Supplier(
        key=plan.key,
        seq=plan.seq,
        version=1,
        name=name,
        country=plan.country,
        region=plan.region,
        verified=verified,
        joined_at=now - rng.randint(30, 12 * 365) * DAY_MS,
        logo=StoredImage(host, f"s/{plan.key}/logo.png", 400, 400, name) if rng.random() < 0.8 else None,
        trade_assurance_limit_usd=rng.randint(100, 20_000) * 10_000 if verified else None,
        response_rate=round(rng.uniform(0.55, 1.0), 3) if answered else None,
        median_response_minutes=rng.randint(8, 1_800) if answered else None,
        on_time_rate=round(rng.uniform(0.75, 1.0), 3),
        certificates=certificates,
        vertical_keys=verticals,
        created_at=now - rng.randint(30, 400) * DAY_MS,
        popularity=round((rng.paretovariate(1.4) - 1) * 20, 2),
    )


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The catalog keeps a million products alive while it is generated: the cycle collector would scan
    them again and again (they hold no cycles, so nothing is lost by pausing it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


async def seed_catalog(
    repos: Repositories,
    search: SearchEngine,
    rng: random.Random,
    products: int,
    host: str,
    now: int,
    progress: Progress,
) -> tuple[int, int]:
    """Returns (suppliers, products); the products are indexed in `search` (call inside its `bulk_load()`,
    after `reset()`). A store that already has a catalog is left as it is, and nothing is indexed."""
    if await repos.products.count() > 0:
        return 0, 0
    shares = {f"v-{fact.slug}": fact.share for fact in vertical_facts()}
    vertical_keys = [v.key for v in await repos.verticals.all() if v.key in shares]
    weights = [shares[key] for key in vertical_keys]
    plans = _plan_suppliers(rng, supplier_count(products), vertical_keys, weights)
    by_vertical: dict[str, list[SupplierPlan]] = {key: [] for key in vertical_keys}
    for plan in plans:
        by_vertical[plan.primary].append(plan)
        if rng.random() < 0.3:  # some suppliers sell in a second vertical too
            second = rng.choices(vertical_keys, cum_weights=list(accumulate(weights)))[0]
            if second != plan.primary:
                by_vertical[second].append(plan)
    rates = {code: Decimal(value) for code, value in DEMO_RATES.items()} | {"USD": Decimal(1)}
    cumulative = list(accumulate(weights))
    with _without_cycle_collection():
        task = progress.add_task("products", total=products)
        # Kept for indexing: a product document carries supplier fields, and suppliers are drawn last.
        generated: list[Product] = []
        for start in range(0, products, BATCH):
            size = min(BATCH, products - start)
            docs = []
            for offset, vertical in enumerate(rng.choices(vertical_keys, cum_weights=cumulative, k=size)):
                supplier = rng.choice(by_vertical[vertical])
                supplier.sold_in[vertical] += 1
                docs.append(product_document(rng, start + offset, supplier, vertical, host, now, rates))
            await repos.products.insert_docs(docs)
            # Decoded as a store read decodes them, so the index gets what a rebuild would give it.
            generated.extend(product_from_doc(doc) for doc in docs)
            progress.advance(task, size)
        suppliers = [_supplier(rng, plan, host, now) for plan in plans]
        for start in range(0, len(suppliers), BATCH):
            await repos.suppliers.insert_many(suppliers[start : start + BATCH])
        progress.remove_task(task)
        await index_products(repos, search, generated, suppliers, progress)
        return len(suppliers), products
