"""Article use cases: the editors' workflow, scheduled publishing, search indexing and follower notices."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from app.domain.accounts import Account, Role
from app.domain.article_blocks import BlockDraft, build_block, check_blocks, media_image
from app.domain.articles import (
    Article,
    ArticleChange,
    ArticleStatus,
    ArticleText,
    apply_change,
    article_locale,
    check_revision,
    check_tags,
    check_text,
    clean_tags,
    follows_closely,
    is_empty,
    new_article,
    publish,
    published_now,
    should_notify,
    slug_base,
    slug_candidates,
    unpublish,
)
from app.domain.errors import UserErrorCode, Violation, forbidden, invalid, not_found
from app.domain.notifications import NOTIFY, NotificationKind, NotifyRequest
from app.services.transactions import OutboxRecorder, TransactionRunner, now_ms
from app.store.port import DuplicateKeyError
from app.store.repositories import Repositories
from search.port import ArticleDoc, SearchEngine

INDEX_ARTICLE = "articles.index"
PUBLISH_DUE = "articles.publish_due"
# Cover images come as a URL only; the editors' console crops them to this size.
COVER_WIDTH, COVER_HEIGHT = 1600, 900
Handler = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class ArticleDraft:
    """An editor's ArticleInput. `vertical_key` is "" for an id that names no vertical;
    `left_out` names the optional article-level fields absent from the input (they keep their value)."""

    title: str
    summary: str
    locale: str
    blocks: Sequence[BlockDraft]
    vertical_key: str | None = None
    tags: Sequence[str] | None = None
    cover_url: str | None = None
    left_out: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ArticleResult:
    article: Article | None
    violations: list[Violation]


def _refused(violations: list[Violation]) -> ArticleResult:
    return ArticleResult(None, violations)


def article_doc(article: Article) -> ArticleDoc:
    """The search document of an article at its revision (non-published ones are removed by the engine)."""
    texts = article.texts
    return ArticleDoc(
        id=article.key,
        seq=article.seq,
        version=article.revision,
        titles={loc: t.title for loc, t in texts.items()},
        summaries={loc: t.summary for loc, t in texts.items()},
        bodies={loc: "\n".join(t.plain_texts()[2:]) for loc, t in texts.items()},
        vertical_id=article.vertical_key,
        tags=list(article.tags),
        published_at=article.published_at or article.created_at,
        status=article.status.value,
    )


def article_seq(key: str) -> int:
    """A stable 31-bit number per article, the search index's tie-breaker."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") & 0x7FFFFFFF


class ArticleService:
    """Editors' writes take `hosts`, the media hosts (MEDIA_HOSTS) their URLs must use."""

    def __init__(self, repos: Repositories, transactions: TransactionRunner) -> None:
        self._repos = repos
        self._articles = repos.articles
        self._transactions = transactions

    async def _check(self, draft: ArticleDraft, hosts: frozenset[str]) -> list[Violation]:
        found = check_text(draft.title, draft.summary, draft.locale) + check_tags(draft.tags)
        if draft.cover_url is not None and media_image(draft.cover_url, 1, 1, hosts) is None:
            found.append(
                invalid(("input", "coverImageUrl"), "Media must be an https URL on our media hosts.")
            )
        if draft.vertical_key is not None:
            (vertical,) = await self._repos.verticals.get_many([draft.vertical_key])
            if vertical is None:
                found.append(invalid(("input", "verticalId"), "That vertical does not exist."))
        wanted = [d.product for d in draft.blocks if d.product]
        existing = await self._articles.existing_products(list(dict.fromkeys(wanted)))
        return found + check_blocks(draft.blocks, hosts, existing)

    def _change(self, draft: ArticleDraft, hosts: frozenset[str]) -> ArticleChange:
        locale = article_locale(draft.locale)
        assert locale is not None
        text = ArticleText(
            draft.title.strip(), draft.summary.strip(), tuple(build_block(b, hosts) for b in draft.blocks)
        )
        cover = media_image(draft.cover_url, COVER_WIDTH, COVER_HEIGHT, hosts) if draft.cover_url else None
        given = {"vertical", "tags", "cover"} - draft.left_out
        cleared = {"vertical"} if draft.vertical_key is None else set()
        cleared |= {"tags"} if draft.tags is None else set()
        cleared |= {"cover"} if draft.cover_url is None else set()
        return ArticleChange(
            locale=locale,
            text=text,
            vertical_key=draft.vertical_key,
            tags=clean_tags(draft.tags) if draft.tags is not None else None,
            cover=cover,
            clear=frozenset(cleared & given),
        )

    async def _free_slug(self, title: str, fallback_key: str) -> str:
        candidates = slug_candidates(slug_base(title))
        taken = await self._articles.slugs_taken(candidates)
        free = [c for c in candidates if c not in taken]
        return free[0] if free else f"{candidates[0]}-{fallback_key[:6]}"

    async def create(self, editor: Account, draft: ArticleDraft, hosts: frozenset[str]) -> ArticleResult:
        if editor.role is not Role.EDITOR:
            return _refused([forbidden("Only editors write articles.")])
        violations = await self._check(draft, hosts)
        if violations:
            return _refused(violations)
        change = self._change(draft, hosts)
        key = secrets.token_hex(8)
        for attempt in range(3):
            slug = await self._free_slug(draft.title, key)
            unique_slug = slug if attempt == 0 else f"{slug}-{secrets.token_hex(3)}"
            article = new_article(key, unique_slug, change, editor.key, now_ms(), article_seq(key))
            try:
                await self._insert(article, editor.key)
                return ArticleResult(article, [])
            except DuplicateKeyError:
                continue  # another article took the slug between the check and the insert
        raise RuntimeError("no free slug after three attempts")

    async def _insert(self, article: Article, by: str) -> None:
        # In MongoDB a concurrent create of the same slug is a write conflict first: the retry sees
        # the other article and raises DuplicateKeyError, for the caller to try another slug.
        await self._transactions.run(lambda _: self._articles.insert(article, by, "create"))

    async def _load(self, editor: Account, key: str | None) -> tuple[Article | None, list[Violation]]:
        if editor.role is not Role.EDITOR:
            return None, [forbidden("Only editors write articles.")]
        article = await self._articles.get(key) if key is not None else None
        if article is None:
            return None, [not_found(("id",), "That article")]
        return article, []

    async def update(
        self,
        editor: Account,
        key: str | None,
        draft: ArticleDraft,
        hosts: frozenset[str],
        expected_revision: int | None,
        action: str,
    ) -> ArticleResult:
        """updateArticle and translateArticle: the text at the input's locale (update: article fields too)."""
        article, violations = await self._load(editor, key)
        if article is None:
            return _refused(violations)
        violations = check_revision(article, expected_revision) + await self._check(draft, hosts)
        if violations:
            return _refused(violations)
        change = self._change(draft, hosts)
        if action == "translate":
            change = ArticleChange(locale=change.locale, text=change.text)
        slug = article.slug
        original_title = article.texts.get(article.original_locale)
        retitled = change.locale == article.original_locale and original_title is not None
        if (
            retitled
            and not article.ever_published
            and original_title
            and original_title.title != change.text.title
        ):
            slug = await self._free_slug(change.text.title, article.key)
        return await self._save(article, apply_change(article, change, slug, now_ms()), editor.key, action)

    async def _save(self, before: Article, after: Article, by: str, action: str) -> ArticleResult:
        """Writes `after` if nobody wrote since `before`, indexing it when search shows or showed it.

        The save is a compare-and-set on `before.revision`: when a concurrent save wins, the retry
        finds the revision moved and the editor gets CONFLICT, to decide again on the newer text."""

        async def write(outbox: OutboxRecorder) -> Article:
            saved = await self._notify_if_due(after, outbox)
            if not await self._articles.save(saved, before.revision, by, action):
                raise _Stale
            if ArticleStatus.PUBLISHED in (before.status, saved.status):
                await outbox.add(INDEX_ARTICLE, {"key": saved.key})
            if saved.status is ArticleStatus.SCHEDULED and saved.scheduled_at != before.scheduled_at:
                due = {"key": saved.key, "scheduled_at": saved.scheduled_at}
                await outbox.add(PUBLISH_DUE, due, available_at=saved.scheduled_at)
            return saved

        try:
            after = await self._transactions.run(write)
        except _Stale:
            return _refused(
                [Violation(UserErrorCode.CONFLICT, ("expectedRevision",), "The article changed meanwhile.")]
            )
        except DuplicateKeyError:
            return _refused(
                [Violation(UserErrorCode.CONFLICT, ("input", "title"), "That slug was just taken.")]
            )
        return ArticleResult(after, [])

    async def publish(
        self, editor: Account, key: str | None, publish_at: int | None, notify: bool
    ) -> ArticleResult:
        article, violations = await self._load(editor, key)
        if article is None:
            return _refused(violations)
        if article.status is not ArticleStatus.PUBLISHED and is_empty(article):
            return _refused([invalid(None, "Add at least one block before publishing.")])
        changed = publish(article, now_ms(), publish_at, notify)
        if changed is None:
            return ArticleResult(article, [])
        return await self._save(article, changed, editor.key, "publish")

    async def unpublish(self, editor: Account, key: str | None) -> ArticleResult:
        article, violations = await self._load(editor, key)
        if article is None:
            return _refused(violations)
        changed = unpublish(article, now_ms())
        if changed is None:
            return ArticleResult(article, [])
        return await self._save(article, changed, editor.key, "unpublish")

    async def publish_due(self, key: str, scheduled_at: int) -> None:
        """The worker's side of a scheduled publish: idempotent, and a no-op once rescheduled or withdrawn."""
        article = await self._articles.get(key)
        if (
            article is None
            or article.status is not ArticleStatus.SCHEDULED
            or article.scheduled_at != scheduled_at
        ):
            return
        await self._save(article, published_now(article, scheduled_at, now_ms()), "scheduler", "publish")

    async def _notify_if_due(self, article: Article, outbox: OutboxRecorder) -> Article:
        """Tells close followers of the vertical, once per article ever (remembered on the article)."""
        if not should_notify(article) or article.vertical_key is None:
            return article
        vertical_key = article.vertical_key
        followers = await self._articles.close_followers(vertical_key)
        recipients = [user for user, weights in followers if follows_closely(weights, vertical_key)]
        if recipients:
            params = {"title": article.text(article.original_locale)[1].title, "slug": article.slug}
            params.update({f"title_{loc}": t.title for loc, t in article.texts.items()})
            request = NotifyRequest(
                NotificationKind.ARTICLE_PUBLISHED,
                recipients,
                "Article",
                article.key,
                f"article:{article.key}",
                params,
            )
            await outbox.add(NOTIFY, request.to_payload())
        return replace(article, notified_at=outbox.now)

    async def index(self, search: SearchEngine, key: str) -> None:
        """The outbox handler's work: the article as it is now, versioned by its revision."""
        article = await self._articles.get(key)
        if article is not None:
            await search.index_articles([article_doc(article)])


class _Stale(Exception):
    """The revision moved between the read and the write."""


def index_articles(search: SearchEngine) -> Callable[[Sequence[Article]], Awaitable[None]]:
    """Writes a batch of articles at their revisions (a reindex); the engine drops non-published ones."""

    async def index(articles: Sequence[Article]) -> None:
        await search.index_articles([article_doc(a) for a in articles])

    return index


def article_handlers(articles: ArticleService, search: SearchEngine) -> dict[str, Handler]:
    """The outbox kinds of articles: both handlers read the article as it is now, so replays are harmless."""

    async def index(payload: dict[str, Any]) -> None:
        await articles.index(search, payload["key"])

    async def publish_due(payload: dict[str, Any]) -> None:
        await articles.publish_due(payload["key"], payload["scheduled_at"])

    return {INDEX_ARTICLE: index, PUBLISH_DUE: publish_due}
