"""Article types: the article in the viewer's language, its blocks, stats and connection."""

from __future__ import annotations

from typing import Annotated

import strawberry

from app.context import Info
from app.domain import article_blocks as blocks
from app.domain.accounts import Role
from app.domain.articles import Article as DomainArticle
from app.domain.articles import ArticleStatus as DomainArticleStatus
from app.domain.articles import ranked_related
from app.domain.ids import to_global_id
from app.domain.media import StoredVideo
from app.schema.base import Image, Node, PageInfo, UserError
from app.schema.products import Product, VideoMedia, load_products
from app.schema.scalars import DateTime
from app.schema.verticals import Vertical
from search.port import SearchUnavailable

# Registers the domain enum as the GraphQL enum ArticleStatus (the class itself is the type).
strawberry.enum(DomainArticleStatus, name="ArticleStatus")
MAX_RELATED = 8
EDITORIAL_TEAM = "Editorial team"


@strawberry.type
class Author:
    id: strawberry.ID
    name: str


@strawberry.type
class ParagraphBlock:
    text: str


@strawberry.type
class HeadingBlock:
    text: str
    level: int


@strawberry.type
class ImageBlock:
    image: Image
    caption: str | None


@strawberry.type
class ProductBlock:
    product_key: strawberry.Private[str]

    @strawberry.field
    async def product(self, info: Info) -> Product | None:
        """Null once the product is gone: an article outlives the products it mentions."""
        (found,) = await load_products(info, [self.product_key])
        return found


@strawberry.type
class VideoBlock:
    video: VideoMedia
    caption: str | None


ArticleBlock = Annotated[
    ParagraphBlock | HeadingBlock | ImageBlock | ProductBlock | VideoBlock, strawberry.union("ArticleBlock")
]


def block_of(
    block: blocks.Block, article_key: str, index: int
) -> ParagraphBlock | HeadingBlock | ImageBlock | ProductBlock | VideoBlock:
    if isinstance(block, blocks.ParagraphBlock):
        return ParagraphBlock(text=block.text)
    if isinstance(block, blocks.HeadingBlock):
        return HeadingBlock(text=block.text, level=block.level)
    if isinstance(block, blocks.ImageBlock):
        return ImageBlock(image=Image.from_domain(block.image), caption=block.caption)
    if isinstance(block, blocks.ProductBlock):
        return ProductBlock(product_key=block.product_key)
    poster = block.poster
    # An editor's video is an HLS stream only: no MP4 renditions, so `sources` is empty.
    stored = StoredVideo(poster.host, poster.path, block.duration_seconds, ())
    video = VideoMedia(
        id=strawberry.ID(f"{article_key}-video-{index}"),
        poster=Image.from_domain(poster),
        duration_seconds=block.duration_seconds,
        hls_url=block.hls_url,
        video=stored,
    )
    return VideoBlock(video=video, caption=block.caption)


@strawberry.type
class ArticleStats:
    views: int
    average_dwell_seconds: float


@strawberry.type
class Article(Node):
    id: strawberry.ID
    slug: str
    title: str
    summary: str
    cover_image: Image | None
    tags: list[str]
    status: DomainArticleStatus
    revision: int
    published_at: DateTime | None
    scheduled_at: DateTime | None
    reading_minutes: int
    locale: str
    available_locales: list[str]
    domain: strawberry.Private[DomainArticle]

    @classmethod
    def from_domain(cls, article: DomainArticle, locale: str) -> Article:
        shown, text = article.text(locale)
        return cls(
            id=strawberry.ID(to_global_id("Article", article.key)),
            slug=article.slug,
            title=text.title,
            summary=text.summary,
            cover_image=Image.maybe(article.cover),
            tags=list(article.tags),
            status=article.status,
            revision=article.revision,
            published_at=DateTime(article.published_at) if article.published_at is not None else None,
            scheduled_at=DateTime(article.scheduled_at) if article.scheduled_at is not None else None,
            reading_minutes=article.reading_minutes(shown),
            locale=shown,
            available_locales=article.available_locales,
            domain=article,
        )

    @strawberry.field
    def body(self) -> list[ArticleBlock]:
        _, text = self.domain.text(self.locale)
        return [block_of(block, self.domain.key, index) for index, block in enumerate(text.blocks)]

    @strawberry.field
    async def vertical(self, info: Info) -> Vertical | None:
        if self.domain.vertical_key is None:
            return None
        found = await info.context.loaders.vertical_by_key.load(self.domain.vertical_key)
        return Vertical.from_domain(found, info.context.locale) if found is not None else None

    @strawberry.field
    async def author(self, info: Info) -> Author:
        account = await info.context.loaders.account_by_key.load(self.domain.author_key)
        name = account.display_name if account is not None and account.display_name else EDITORIAL_TEAM
        return Author(id=strawberry.ID(to_global_id("Viewer", self.domain.author_key)), name=name)

    @strawberry.field
    async def related_products(self, info: Info) -> list[Product]:
        """The products its blocks name, then popular products of its vertical."""
        vertical_keys: list[str] = []
        if self.domain.vertical_key is not None:
            try:
                found = await info.context.ports.search.candidates(
                    "product", self.domain.vertical_key, "POPULAR", MAX_RELATED
                )
                vertical_keys = [c.id for c in found]
            except SearchUnavailable:
                vertical_keys = []  # the article still reads without its vertical's suggestions
        keys = ranked_related(self.domain.product_keys(), vertical_keys, MAX_RELATED)
        return [p for p in await load_products(info, keys) if p is not None]

    @strawberry.field
    async def stats(self, info: Info) -> ArticleStats | None:
        """Editors only; views once per viewer or client IP per hour, dwell averaged over DWELL events."""
        if not info.context.viewer_is(Role.EDITOR):
            return None
        events = await info.context.loaders.article_events_by_key.load(self.domain.key)
        average = sum(events.dwell_ms) / len(events.dwell_ms) / 1000 if events.dwell_ms else 0.0
        return ArticleStats(views=events.views, average_dwell_seconds=round(average, 1))


@strawberry.type
class ArticleEdge:
    cursor: str
    node: Article


@strawberry.type
class ArticleConnection:
    edges: list[ArticleEdge]
    page_info: PageInfo


@strawberry.type
class ArticlePayload:
    article: Article | None
    user_errors: list[UserError]
