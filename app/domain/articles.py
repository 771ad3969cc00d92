"""Articles: their states, texts per locale, slugs, and the editors' workflow rules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from app.domain.article_blocks import Block, ProductBlock, block_text, reading_minutes
from app.domain.errors import UserErrorCode, Violation, invalid
from app.domain.interests import normalized
from app.domain.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES
from app.domain.media import StoredImage

MAX_TITLE = 200
MAX_SUMMARY = 600
MAX_TAGS = 20
MAX_TAG = 40
SLUG_WORDS = 10
CLOSE_FOLLOWER_RANK = 3
CLOSE_FOLLOWER_WEIGHT = 0.15


class ArticleStatus(StrEnum):
    DRAFT = "DRAFT"
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"
    UNPUBLISHED = "UNPUBLISHED"


@dataclass(frozen=True)
class ArticleText:
    """What is translated: title, summary and blocks of one locale."""

    title: str
    summary: str
    blocks: tuple[Block, ...]

    def plain_texts(self) -> list[str]:
        return [self.title, self.summary, *(block_text(b) for b in self.blocks)]


@dataclass(frozen=True)
class Article:
    key: str
    slug: str
    status: ArticleStatus
    revision: int
    original_locale: str
    texts: Mapping[str, ArticleText]
    vertical_key: str | None
    tags: tuple[str, ...]
    cover: StoredImage | None
    author_key: str
    created_at: int
    updated_at: int
    published_at: int | None = None
    scheduled_at: int | None = None
    notify_followers: bool = False
    notified_at: int | None = None
    seq: int = 0

    def text(self, locale: str) -> tuple[str, ArticleText]:
        """The text in `locale`, else the original locale, else English, else any: (locale shown, text)."""
        for candidate in (locale, self.original_locale, DEFAULT_LOCALE):
            if candidate in self.texts:
                return candidate, self.texts[candidate]
        first = next(iter(self.texts))
        return first, self.texts[first]

    @property
    def available_locales(self) -> list[str]:
        return sorted(self.texts, key=lambda loc: (loc != self.original_locale, loc))

    def reading_minutes(self, locale: str) -> int:
        return reading_minutes(self.text(locale)[1].plain_texts())

    def product_keys(self) -> list[str]:
        """Product keys of every block of every locale, in order of first appearance, without repeats."""
        keys: dict[str, None] = {}
        for text in self.texts.values():
            for block in text.blocks:
                if isinstance(block, ProductBlock):
                    keys.setdefault(block.product_key)
        return list(keys)

    @property
    def ever_published(self) -> bool:
        return self.published_at is not None


@dataclass(frozen=True)
class ArticleChange:
    """An editor's input once checked: article-level fields None when left out (they keep their value)."""

    locale: str
    text: ArticleText
    vertical_key: str | None = None
    tags: tuple[str, ...] | None = None
    cover: StoredImage | None = None
    clear: frozenset[str] = field(default_factory=frozenset)


def new_article(key: str, slug: str, change: ArticleChange, author_key: str, now: int, seq: int) -> Article:
    """A draft at revision 1, written in the change's locale (its original locale)."""
    return Article(
        key=key,
        slug=slug,
        status=ArticleStatus.DRAFT,
        revision=1,
        original_locale=change.locale,
        texts={change.locale: change.text},
        vertical_key=change.vertical_key,
        tags=change.tags or (),
        cover=change.cover,
        author_key=author_key,
        created_at=now,
        updated_at=now,
        seq=seq,
    )


def check_text(title: str, summary: str, locale: str) -> list[Violation]:
    found = []
    if not title.strip() or len(title) > MAX_TITLE:
        found.append(invalid(("input", "title"), f"A title needs 1 to {MAX_TITLE} characters."))
    if len(summary) > MAX_SUMMARY:
        found.append(invalid(("input", "summary"), f"A summary has at most {MAX_SUMMARY} characters."))
    if article_locale(locale) is None:
        found.append(invalid(("input", "locale"), f"Articles are written in {', '.join(SUPPORTED_LOCALES)}."))
    return found


def check_tags(tags: Sequence[str] | None) -> list[Violation]:
    if tags is None:
        return []
    if len(tags) > MAX_TAGS or any(not t.strip() or len(t) > MAX_TAG for t in tags):
        return [invalid(("input", "tags"), f"Up to {MAX_TAGS} tags of 1 to {MAX_TAG} characters.")]
    return []


def clean_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags lowercased and trimmed, first occurrence kept, so `articles(tag:)` matches regardless of case."""
    return tuple(dict.fromkeys(t.strip().lower() for t in tags))


def article_locale(tag: str) -> str | None:
    """The language we serve for a BCP 47 tag, or None when we do not carry it."""
    language = tag.strip().lower().replace("_", "-").split("-")[0]
    return language if language in SUPPORTED_LOCALES else None


def slug_base(title: str) -> str:
    """A URL slug from a title: ASCII words joined by hyphens (titles in other scripts give "article")."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)[:SLUG_WORDS]
    return "-".join(words) or "article"


def slug_candidates(base: str) -> list[str]:
    return [base] + [f"{base}-{n}" for n in range(2, 21)]


def check_revision(article: Article, expected: int | None) -> list[Violation]:
    if expected is not None and expected != article.revision:
        message = f"The article changed meanwhile: revision {article.revision}, not {expected}. Reload it."
        return [Violation(UserErrorCode.CONFLICT, ("expectedRevision",), message)]
    return []


def apply_change(article: Article, change: ArticleChange, slug: str, now: int) -> Article:
    """The article with the change's text at its locale and the article-level fields it carries."""
    return replace(
        article,
        slug=slug,
        texts={**article.texts, change.locale: change.text},
        vertical_key=None if "vertical" in change.clear else (change.vertical_key or article.vertical_key),
        tags=() if "tags" in change.clear else (change.tags if change.tags is not None else article.tags),
        cover=None if "cover" in change.clear else (change.cover or article.cover),
        revision=article.revision + 1,
        updated_at=now,
    )


def is_empty(article: Article) -> bool:
    original = article.texts.get(article.original_locale)
    return original is None or not original.blocks


def publish(article: Article, now: int, publish_at: int | None, notify: bool) -> Article | None:
    """The article published now or scheduled; None when it is already published (nothing changes)."""
    if article.status is ArticleStatus.PUBLISHED:
        return None
    # The latest request's wish counts: a withdrawn schedule's notifyFollowers does not linger.
    wants = notify
    if publish_at is not None and publish_at > now:
        return replace(
            article,
            status=ArticleStatus.SCHEDULED,
            scheduled_at=publish_at,
            notify_followers=wants,
            revision=article.revision + 1,
            updated_at=now,
        )
    return published_now(
        replace(article, notify_followers=wants), publish_at if publish_at is not None else now, now
    )


def published_now(article: Article, at: int, now: int) -> Article:
    """Published at `at`, unless it was published before: a republished article keeps its first date."""
    return replace(
        article,
        status=ArticleStatus.PUBLISHED,
        published_at=article.published_at if article.published_at is not None else at,
        scheduled_at=None,
        revision=article.revision + 1,
        updated_at=now,
    )


def unpublish(article: Article, now: int) -> Article | None:
    """SCHEDULED back to DRAFT, PUBLISHED to UNPUBLISHED; None for anything else (nothing changes)."""
    if article.status is ArticleStatus.SCHEDULED:
        target = ArticleStatus.DRAFT
    elif article.status is ArticleStatus.PUBLISHED:
        target = ArticleStatus.UNPUBLISHED
    else:
        return None
    return replace(article, status=target, scheduled_at=None, revision=article.revision + 1, updated_at=now)


def should_notify(article: Article) -> bool:
    """Followers hear of an article once ever, when it is first published with notifyFollowers."""
    return (
        article.status is ArticleStatus.PUBLISHED
        and article.notify_followers
        and article.notified_at is None
        and article.vertical_key is not None
    )


def follows_closely(weights: Mapping[str, float], vertical_key: str) -> bool:
    """The vertical is among the buyer's top three interests with a normalized weight of at least 0.15."""
    ranked = normalized(weights)[:CLOSE_FOLLOWER_RANK]
    return any(key == vertical_key and weight >= CLOSE_FOLLOWER_WEIGHT for key, weight in ranked)


def visible_to_public(article: Article) -> bool:
    return article.status is ArticleStatus.PUBLISHED


def ranked_related(product_keys: Sequence[str], vertical_products: Sequence[str], limit: int) -> list[str]:
    """Products of the article's blocks first, then its vertical's, no repeats."""
    return list(dict.fromkeys([*product_keys, *vertical_products]))[:limit]
