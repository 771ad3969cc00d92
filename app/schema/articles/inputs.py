"""Article inputs: what editors send, turned into the service's drafts."""

from __future__ import annotations

import strawberry

from app.domain.article_blocks import BlockDraft, HeadingBlock, ImageDraft, VideoDraft
from app.domain.ids import key_of
from app.services.articles import ArticleDraft


@strawberry.input
class HeadingInput:
    text: str
    level: int


@strawberry.input
class ImageBlockInput:
    url: str
    width: int
    height: int
    caption: str | None = None


@strawberry.input
class VideoBlockInput:
    hls_url: str
    poster_url: str
    duration_seconds: int
    caption: str | None = None


@strawberry.input(one_of=True)
class ArticleBlockInput:
    paragraph: str | None = strawberry.UNSET
    heading: HeadingInput | None = strawberry.UNSET
    image: ImageBlockInput | None = strawberry.UNSET
    product: strawberry.ID | None = strawberry.UNSET
    video: VideoBlockInput | None = strawberry.UNSET

    def to_draft(self) -> BlockDraft:
        if self.heading:
            return BlockDraft(heading=HeadingBlock(self.heading.text, self.heading.level))
        if self.image:
            image = self.image
            return BlockDraft(image=ImageDraft(image.url, image.width, image.height, image.caption))
        if self.video:
            video = self.video
            return BlockDraft(
                video=VideoDraft(video.hls_url, video.poster_url, video.duration_seconds, video.caption)
            )
        if isinstance(self.product, str):
            # An id of another type, or not ours, names no product: "" fails the existence check.
            return BlockDraft(product=key_of(self.product, "Product") or "")
        return BlockDraft(paragraph=self.paragraph if isinstance(self.paragraph, str) else "")


def _given(value: object) -> bool:
    return value is not strawberry.UNSET


@strawberry.input
class ArticleInput:
    title: str
    summary: str
    locale: str
    blocks: list[ArticleBlockInput]
    vertical_id: strawberry.ID | None = strawberry.UNSET
    tags: list[str] | None = strawberry.UNSET
    cover_image_url: str | None = strawberry.UNSET

    def to_draft(self) -> ArticleDraft:
        """Left-out optional fields keep their value on update; an explicit null clears them."""
        left_out = {
            name
            for name, value in (
                ("vertical", self.vertical_id),
                ("tags", self.tags),
                ("cover", self.cover_image_url),
            )
            if not _given(value)
        }
        vertical = self.vertical_id if isinstance(self.vertical_id, str) else None
        return ArticleDraft(
            title=self.title,
            summary=self.summary,
            locale=self.locale,
            blocks=[b.to_draft() for b in self.blocks],
            vertical_key=(key_of(vertical, "Vertical") or "") if vertical is not None else None,
            tags=self.tags if isinstance(self.tags, list) else None,
            cover_url=self.cover_image_url if isinstance(self.cover_image_url, str) else None,
            left_out=frozenset(left_out),
        )
