"""A small generated catalog for the search contract suite, and brute-force expectations over it."""

import random
from collections.abc import Callable, Sequence

from search.port import FACETS, ArticleDoc, ProductDoc, ProductQuery, SupplierDoc

VERTICALS = ("v-machinery", "v-apparel", "v-electronics", "v-packaging")
COUNTRIES = ("CN", "VN", "IN", "TR", "US")
BASE_MS = 1_750_000_000_000
NOUNS = ("bottle", "excavator", "jacket", "charger", "carton", "pump", "blender", "sneakers")
ADJECTIVES = ("stainless", "portable", "waterproof", "industrial", "compact", "recycled")
SPECIAL_TITLE = "Hydraulic <Excavator> & Loader"
CHINESE_TITLE = "不锈钢保温杯"


def _title(rng: random.Random, i: int) -> dict[str, str]:
    titles = {"en": f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS)} model {i}"}
    if i % 3 == 0:
        titles["es"] = f"Producto {rng.choice(('botella', 'bomba', 'chaqueta'))} {i}"
    if i % 4 == 0:
        titles["zh"] = f"{rng.choice(('工业水泵', '便携充电器', '防水夹克'))} {i}"
    return titles


def build_products(count: int = 300, seed: int = 7) -> list[ProductDoc]:
    rng = random.Random(seed)
    docs: list[ProductDoc] = []
    for i in range(count):
        titles = _title(rng, i)
        if i == 1:
            titles = {"en": SPECIAL_TITLE}
        if i == 2:
            titles = {"en": "Vacuum flask", "zh": CHINESE_TITLE}
        price = rng.choice((150, 900, 1200, 2500, 9900, 15000))
        docs.append(
            ProductDoc(
                id=f"p-{i:04d}",
                seq=i + 1,
                version=1,
                titles=titles,
                descriptions={"en": f"Durable {rng.choice(NOUNS)} for wholesale buyers"},
                specs_text=f"weight {rng.randint(1, 9)} kg",
                vertical_id=VERTICALS[i % len(VERTICALS)],
                supplier_id=f"s-{i % 17:03d}",
                supplier_country=rng.choice(COUNTRIES),
                supplier_verified=rng.random() < 0.6,
                trade_assurance=rng.random() < 0.5,
                has_video=rng.random() < 0.3,
                price_min=price,
                price_max=price * rng.choice((1, 2, 3)),
                moq=rng.choice((1, 10, 50, 100, 500)),
                created_at=BASE_MS + rng.randint(0, 40) * 3_600_000,
                popularity=round(rng.choice((0.0, 1.5, 2.5, 7.0, 12.25)) + rng.randint(0, 3), 2),
            )
        )
    return docs


def build_articles() -> list[ArticleDoc]:
    return [
        ArticleDoc(
            id=f"a-{i:03d}",
            seq=i + 1,
            version=1,
            titles={"en": f"Sourcing guide {i}: choosing a {NOUNS[i % len(NOUNS)]}"},
            summaries={"en": "What buyers should check"},
            bodies={"en": "Long body text about factories and certificates."},
            vertical_id=VERTICALS[i % len(VERTICALS)],
            tags=["guide"],
            published_at=BASE_MS + (i // 2) * 60_000,
        )
        for i in range(12)
    ]


def build_suppliers() -> list[SupplierDoc]:
    return [
        SupplierDoc(
            id=f"s-{i:03d}",
            seq=i + 1,
            version=1,
            name=f"Factory {i}",
            vertical_ids=[VERTICALS[i % 4], VERTICALS[(i + 1) % 4]],
            country=COUNTRIES[i % len(COUNTRIES)],
            verified=i % 2 == 0,
            popularity=float(i % 5),
            created_at=BASE_MS + i * 1000,
        )
        for i in range(17)
    ]


def _facet_checks(q: ProductQuery) -> dict[str, Callable[[ProductDoc], bool]]:
    checks: dict[str, Callable[[ProductDoc], bool]] = {}
    if q.vertical_id is not None:
        checks["vertical"] = lambda d: d.vertical_id == q.vertical_id
    if q.supplier_countries is not None:
        countries = set(q.supplier_countries)
        checks["supplierCountry"] = lambda d: d.supplier_country in countries
    if q.has_video is not None:
        checks["hasVideo"] = lambda d: d.has_video == q.has_video
    if q.trade_assurance is not None:
        checks["tradeAssurance"] = lambda d: d.trade_assurance == q.trade_assurance
    return checks


def _other_checks(d: ProductDoc, q: ProductQuery) -> bool:
    return (
        (q.verified_supplier is None or d.supplier_verified == q.verified_supplier)
        and (q.price_min is None or d.price_min >= q.price_min)
        and (q.price_max is None or d.price_min <= q.price_max)
        and (q.max_moq is None or d.moq <= q.max_moq)
        and (q.created_after is None or d.created_at > q.created_after)
        and d.id not in q.exclude_ids
    )


def matching(docs: Sequence[ProductDoc], q: ProductQuery, without: str | None = None) -> list[ProductDoc]:
    """Products passing every filter of `q` (text ignored), except the facet `without`."""
    checks = [c for name, c in _facet_checks(q).items() if name != without]
    return [d for d in docs if _other_checks(d, q) and all(c(d) for c in checks)]


def facet_value(doc: ProductDoc, facet: str) -> str:
    values = {
        "vertical": doc.vertical_id,
        "supplierCountry": doc.supplier_country,
        "hasVideo": str(doc.has_video).lower(),
        "tradeAssurance": str(doc.trade_assurance).lower(),
    }
    return values[facet]


def expected_facets(docs: Sequence[ProductDoc], q: ProductQuery) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        counts: dict[str, int] = {}
        for d in matching(docs, q, without=facet):
            counts[facet_value(d, facet)] = counts.get(facet_value(d, facet), 0) + 1
        result[facet] = counts
    return result


SORT_ORDERS: dict[str, Callable[[ProductDoc], tuple[float, int]]] = {
    "NEWEST": lambda d: (-d.created_at, -d.seq),
    "POPULAR": lambda d: (-d.popularity, -d.seq),
    "PRICE_ASC": lambda d: (d.price_min, d.seq),
    "PRICE_DESC": lambda d: (-d.price_max, -d.seq),
}
