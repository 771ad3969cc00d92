"""Articles: buyers read published ones; editors read everything and run the publishing workflow."""

from __future__ import annotations

from typing import Any

import strawberry

from app.context import Info
from app.domain.accounts import Role
from app.domain.articles import Article as DomainArticle
from app.domain.articles import ArticleStatus as DomainArticleStatus
from app.domain.articles import visible_to_public
from app.domain.ids import key_of
from app.schema.articles.inputs import ArticleInput
from app.schema.articles.types import Article, ArticleConnection, ArticleEdge, ArticlePayload
from app.schema.base import user_errors
from app.schema.errors import bad_input, forbidden_error
from app.schema.paging import build_page, page_request
from app.schema.scalars import DateTime
from app.services.articles import ArticleResult


def _readable(info: Info, article: DomainArticle | None) -> DomainArticle | None:
    """Editors read every article; everyone else only published ones, the rest reading as absent."""
    if article is None or info.context.viewer_is(Role.EDITOR) or visible_to_public(article):
        return article
    return None


async def article_node(info: Info, key: str) -> Article | None:
    found = _readable(info, await info.context.loaders.article_by_key.load(key))
    return Article.from_domain(found, info.context.locale) if found is not None else None


def _page_key(after: Any) -> tuple[int, str] | None:
    """A decoded cursor is ours (signed), but check its shape before it reaches a query."""
    if after is None:
        return None
    if (
        isinstance(after, list)
        and len(after) == 2
        and isinstance(after[0], int)
        and isinstance(after[1], str)
    ):
        return after[0], after[1]
    raise bad_input("The `after` cursor was not issued for this list.")


def _connection(info: Info, request: Any, fetched: list[DomainArticle], sort_field: str) -> ArticleConnection:
    def key(article: DomainArticle) -> list[Any]:
        return [getattr(article, sort_field) or 0, article.key]

    page = build_page(info, request, fetched, key)
    locale = info.context.locale
    edges = [
        ArticleEdge(cursor=cursor, node=Article.from_domain(article, locale))
        for article, cursor in zip(page.items, page.cursors, strict=True)
    ]
    return ArticleConnection(edges=edges, page_info=page.page_info)


def _payload(info: Info, result: ArticleResult) -> ArticlePayload:
    article = Article.from_domain(result.article, info.context.locale) if result.article is not None else None
    return ArticlePayload(article=article, user_errors=user_errors(result.violations))


def _hosts(info: Info) -> frozenset[str]:
    return frozenset(info.context.settings.media_host_list)


@strawberry.type
class ArticleQuery:
    @strawberry.field
    async def article(
        self, info: Info, id: strawberry.ID | None = None, slug: str | None = None
    ) -> Article | None:
        if (id is None) == (slug is None):
            raise bad_input("Pass exactly one of `id` and `slug`.")
        if id is not None:
            key = key_of(id, "Article")
            return await article_node(info, key) if key is not None else None
        assert slug is not None
        found = _readable(info, await info.context.ports.repos.articles.by_slug(slug))
        return Article.from_domain(found, info.context.locale) if found is not None else None

    @strawberry.field
    async def articles(
        self,
        info: Info,
        vertical: strawberry.ID | None = None,
        tag: str | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> ArticleConnection:
        """Published articles only, for every role, newest first."""
        vertical_key = key_of(vertical, "Vertical") if vertical is not None else None
        if vertical is not None and vertical_key is None:
            raise bad_input("`vertical` is not a vertical id.")
        wanted_tag = tag.strip().lower() if tag is not None else None
        request = page_request(
            info, "articles", first, after, default=20, personal=False, args=[vertical_key, wanted_tag]
        )
        fetched = await info.context.ports.repos.articles.published_page(
            vertical_key, wanted_tag, _page_key(request.after), request.fetch
        )
        return _connection(info, request, fetched, "published_at")

    @strawberry.field
    async def editor_articles(
        self,
        info: Info,
        status: DomainArticleStatus | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> ArticleConnection:
        """Every article for editors, newest created first; any other role is refused."""
        info.context.require_viewer()
        if not info.context.viewer_is(Role.EDITOR):
            raise forbidden_error()
        wanted = status
        request = page_request(
            info, "editorArticles", first, after, default=20, personal=False, args=[wanted]
        )
        fetched = await info.context.ports.repos.articles.editor_page(
            wanted, _page_key(request.after), request.fetch
        )
        return _connection(info, request, fetched, "created_at")


@strawberry.type
class ArticleMutation:
    @strawberry.mutation
    async def create_article(self, info: Info, input: ArticleInput) -> ArticlePayload:
        editor = info.context.require_viewer()
        result = await info.context.services.articles.create(editor, input.to_draft(), _hosts(info))
        return _payload(info, result)

    @strawberry.mutation
    async def update_article(
        self, info: Info, id: strawberry.ID, input: ArticleInput, expected_revision: int
    ) -> ArticlePayload:
        editor = info.context.require_viewer()
        service = info.context.services.articles
        result = await service.update(
            editor, key_of(id, "Article"), input.to_draft(), _hosts(info), expected_revision, "update"
        )
        return _payload(info, result)

    @strawberry.mutation
    async def translate_article(
        self, info: Info, id: strawberry.ID, input: ArticleInput, expected_revision: int | None = None
    ) -> ArticlePayload:
        """Adds or replaces the title, summary and blocks of `input.locale` (other fields are ignored)."""
        editor = info.context.require_viewer()
        service = info.context.services.articles
        result = await service.update(
            editor, key_of(id, "Article"), input.to_draft(), _hosts(info), expected_revision, "translate"
        )
        return _payload(info, result)

    @strawberry.mutation
    async def publish_article(
        self,
        info: Info,
        id: strawberry.ID,
        publish_at: DateTime | None = None,
        notify_followers: bool | None = False,
    ) -> ArticlePayload:
        editor = info.context.require_viewer()
        service = info.context.services.articles
        result = await service.publish(editor, key_of(id, "Article"), publish_at, bool(notify_followers))
        return _payload(info, result)

    @strawberry.mutation
    async def unpublish_article(self, info: Info, id: strawberry.ID) -> ArticlePayload:
        editor = info.context.require_viewer()
        result = await info.context.services.articles.unpublish(editor, key_of(id, "Article"))
        return _payload(info, result)
