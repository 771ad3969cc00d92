"""Demo articles: two trend pieces per vertical from the seed facts, by a demo editor, some translated."""

from __future__ import annotations

import random
from collections.abc import Sequence

from app.domain.accounts import Account, Role
from app.domain.article_blocks import Block, HeadingBlock, ImageBlock, ParagraphBlock, ProductBlock
from app.domain.articles import Article, ArticleStatus, ArticleText
from app.domain.media import StoredImage
from app.seed.facts import VerticalFact, vertical_facts
from app.services.articles import article_seq
from app.store.repositories import Repositories

DEMO_EDITOR = "demo-editor"
DAY_MS = 86_400_000
PRODUCTS_PER_ARTICLE = 3

# A few pieces carry translations of their title and summary, so localization shows in the demo.
TRANSLATED: dict[str, dict[str, tuple[str, str]]] = {
    "a-seating-hot": {
        "zh": ("座椅为何领跑跨境采购", "座椅占出口的最大份额:买家应关注什么。"),
        "es": (
            "Por qué los asientos lideran el abastecimiento",
            "Los asientos encabezan las exportaciones: qué revisar.",
        ),
    },
    "a-lighting-hot": {
        "fr": (
            "Pourquoi l'éclairage mène les achats",
            "L'éclairage figure parmi les premières exportations.",
        ),
        "ru": ("Почему освещение лидирует в закупках", "Освещение среди главных экспортных категорий."),
    },
    "a-steel-sections-rising": {"zh": ("钢型材:增长最快的品类", "钢型材出口同比增长迅猛。")},
}


def _hot(fact: VerticalFact) -> tuple[str, str, list[str]]:
    name = fact.names["en"]
    share = f"{fact.share * 100:.1f}%"
    title = f"Why {name} leads cross-border sourcing"
    summary = (
        f"{name} (HS {fact.hs}) holds {share} of the platform's exports: what buyers compare before ordering."
    )
    paragraphs = [
        f"{name} is one of the categories buyers source most across borders: HS heading {fact.hs} alone "
        f"makes up {share} of exports on the platform.",
        "Compare price tiers against your real order size: the first tier's minimum sets your unit price.",
        "Ask for certificates early and check which are verified; trade assurance covers the order itself.",
    ]
    return title, summary, paragraphs


def _rising(fact: VerticalFact) -> tuple[str, str, list[str]]:
    name = fact.names["en"]
    if fact.rising > 0:
        growth = f"{fact.rising * 100:,.0f}%"
        title = f"Rising fast: {name} exports up {growth}"
        summary = (
            f"Exports of {name} (HS {fact.hs}) grew {growth} year over year. Where the new supply comes from."
        )
    else:
        title = f"{name}: what is trending with buyers this season"
        summary = f"New listings and the products buyers save most in {name}."
    paragraphs = [
        f"Demand for {name.lower()} keeps climbing: new suppliers list every week and lead times move.",
        "Shortlist two or three suppliers, request samples, and compare their response rates first.",
    ]
    return title, summary, paragraphs


def _blocks(paragraphs: Sequence[str], products: Sequence[str], cover: StoredImage) -> tuple[Block, ...]:
    found: list[Block] = [ParagraphBlock(paragraphs[0]), ImageBlock(cover, "Seen on the platform this month")]
    found.append(HeadingBlock("What to check", 2))
    found.extend(ParagraphBlock(text) for text in paragraphs[1:])
    found.extend(ProductBlock(key) for key in products)
    return tuple(found)


def _article(
    key: str,
    slug: str,
    fact: VerticalFact,
    piece: tuple[str, str, list[str]],
    products: Sequence[str],
    at: int,
    cdn: str,
) -> Article:
    title, summary, paragraphs = piece
    cover = StoredImage(cdn, f"articles/{slug}.jpg", 1600, 900, title)
    blocks = _blocks(paragraphs, products, cover)
    texts = {"en": ArticleText(title, summary, blocks)}
    for locale, (local_title, local_summary) in TRANSLATED.get(key, {}).items():
        texts[locale] = ArticleText(local_title, local_summary, blocks)
    return Article(
        key=key,
        slug=slug,
        status=ArticleStatus.PUBLISHED,
        revision=2,
        original_locale="en",
        texts=texts,
        vertical_key=f"v-{fact.slug}",
        tags=("trends", "hot" if key.endswith("-hot") else "rising", fact.slug),
        cover=cover,
        author_key=DEMO_EDITOR,
        created_at=at - DAY_MS,
        updated_at=at,
        published_at=at,
        seq=article_seq(key),
    )


async def _ensure_editor(repos: Repositories, now: int) -> None:
    (existing,) = await repos.accounts.get_many([DEMO_EDITOR])
    if existing is None:
        editor = Account(
            key=DEMO_EDITOR,
            subject=DEMO_EDITOR,
            role=Role.EDITOR,
            supplier_key=None,
            display_name="Mei Lin, Trends Desk",
            country=None,
            locale="en",
            currency=None,
            created_at=now,
        )
        await repos.accounts.insert(editor)


async def seed_articles(repos: Repositories, rng: random.Random, cdn_host: str, now: int) -> int:
    """Published at staggered times over the last four weeks; idempotent (existing keys are kept)."""
    await _ensure_editor(repos, now)
    facts = vertical_facts()
    wanted: list[Article] = []
    for index, fact in enumerate(facts):
        products = await repos.articles.products_of_vertical(f"v-{fact.slug}", PRODUCTS_PER_ARTICLE * 2)
        for offset, (suffix, piece) in enumerate((("hot", _hot(fact)), ("rising", _rising(fact)))):
            at = now - (index * 2 + offset) * DAY_MS * 28 // (len(facts) * 2) - rng.randint(1, 3_600_000)
            chosen = products[offset * PRODUCTS_PER_ARTICLE : (offset + 1) * PRODUCTS_PER_ARTICLE]
            key = f"a-{fact.slug}-{suffix}"
            wanted.append(_article(key, f"{fact.slug}-{suffix}-trends", fact, piece, chosen, at, cdn_host))
    existing = {a.key for a in await repos.articles.get_many([a.key for a in wanted]) if a is not None}
    await repos.articles.insert_many([a for a in wanted if a.key not in existing])
    return len(wanted)
