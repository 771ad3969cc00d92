"""Article blocks: their shapes, the checks an editor's blocks must pass, plain text and reading time."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from app.domain.errors import UserErrorCode, Violation, invalid
from app.domain.media import StoredImage

MAX_BLOCKS = 200
MAX_TEXT = 20_000
HEADING_LEVELS = (1, 2, 3)
WORDS_PER_MINUTE = 220
# CJK text has no spaces; about two characters read like one word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class ParagraphBlock:
    text: str


@dataclass(frozen=True)
class HeadingBlock:
    text: str
    level: int


@dataclass(frozen=True)
class ImageBlock:
    image: StoredImage
    caption: str | None = None


@dataclass(frozen=True)
class ProductBlock:
    product_key: str


@dataclass(frozen=True)
class VideoBlock:
    hls_url: str
    poster: StoredImage
    duration_seconds: int
    caption: str | None = None


Block = ParagraphBlock | HeadingBlock | ImageBlock | ProductBlock | VideoBlock


@dataclass(frozen=True)
class ImageDraft:
    url: str
    width: int
    height: int
    caption: str | None


@dataclass(frozen=True)
class VideoDraft:
    hls_url: str
    poster_url: str
    duration_seconds: int
    caption: str | None


@dataclass(frozen=True)
class BlockDraft:
    """One block as an editor sent it (exactly one field set, as @oneOf guarantees).

    `product` is the key of the product id, or "" when the id names no product at all.
    """

    paragraph: str | None = None
    heading: HeadingBlock | None = None
    image: ImageDraft | None = None
    product: str | None = None
    video: VideoDraft | None = None


class _TextOnly(HTMLParser):
    """Collects the text of markup, dropping tags and the content of script and style elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def plain_text(text: str) -> str:
    """Text without markup or entities, whitespace collapsed: clients never render article text as HTML."""
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return " ".join(unescape("".join(parser.parts)).split())


def media_image(url: str, width: int, height: int, hosts: Collection[str]) -> StoredImage | None:
    """The CDN image an https URL on one of `hosts` names, or None for any other URL."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = parts.path.lstrip("/")
    if parts.scheme != "https" or host not in hosts or not path or parts.username or parts.port:
        return None
    return StoredImage(host, path, width, height)


def _check_url(url: str, hosts: Collection[str], at: tuple[str, ...]) -> list[Violation]:
    if media_image(url, 1, 1, hosts) is None:
        return [invalid(at, f"Media must be an https URL on {', '.join(sorted(hosts))}.")]
    return []


def _check_sizes(values: Sequence[tuple[str, int]], at: tuple[str, ...]) -> list[Violation]:
    return [invalid((*at, name), f"{name} must be positive.") for name, value in values if value <= 0]


def _check_one(draft: BlockDraft, at: tuple[str, ...], hosts: Collection[str]) -> list[Violation]:
    if draft.paragraph is not None:
        text = plain_text(draft.paragraph)
        if not text or len(text) > MAX_TEXT:
            return [invalid((*at, "paragraph"), f"A paragraph needs 1 to {MAX_TEXT} characters of text.")]
        return []
    if draft.heading is not None:
        found = []
        if not plain_text(draft.heading.text):
            found.append(invalid((*at, "heading", "text"), "A heading needs text."))
        if draft.heading.level not in HEADING_LEVELS:
            found.append(invalid((*at, "heading", "level"), "Heading levels are 1, 2 or 3."))
        return found
    if draft.image is not None:
        image = draft.image
        sizes = _check_sizes([("width", image.width), ("height", image.height)], (*at, "image"))
        return _check_url(image.url, hosts, (*at, "image", "url")) + sizes
    if draft.video is not None:
        video = draft.video
        return (
            _check_url(video.hls_url, hosts, (*at, "video", "hlsUrl"))
            + _check_url(video.poster_url, hosts, (*at, "video", "posterUrl"))
            + _check_sizes([("durationSeconds", video.duration_seconds)], (*at, "video"))
        )
    return []


def check_blocks(
    drafts: Sequence[BlockDraft], hosts: Collection[str], existing_products: Collection[str]
) -> list[Violation]:
    """Every problem of the blocks, each at its path; product blocks must name existing products."""
    if len(drafts) > MAX_BLOCKS:
        return [
            Violation(
                UserErrorCode.LIMIT_EXCEEDED,
                ("input", "blocks"),
                f"An article has at most {MAX_BLOCKS} blocks.",
            )
        ]
    found: list[Violation] = []
    for index, draft in enumerate(drafts):
        at = ("input", "blocks", str(index))
        if draft.product is not None and draft.product not in existing_products:
            found.append(invalid((*at, "product"), "That product does not exist."))
        found.extend(_check_one(draft, at, hosts))
    return found


def build_block(draft: BlockDraft, hosts: Collection[str]) -> Block:
    """The stored block of a draft that passed `check_blocks`."""
    if draft.paragraph is not None:
        return ParagraphBlock(plain_text(draft.paragraph))
    if draft.heading is not None:
        return HeadingBlock(plain_text(draft.heading.text), draft.heading.level)
    if draft.image is not None:
        image = media_image(draft.image.url, draft.image.width, draft.image.height, hosts)
        assert image is not None
        return ImageBlock(image, _caption(draft.image.caption))
    if draft.video is not None:
        # The poster's size is unknown from a URL; 16:9 HD is what the editors' console uploads.
        poster = media_image(draft.video.poster_url, 1280, 720, hosts)
        assert poster is not None
        return VideoBlock(
            draft.video.hls_url.strip(), poster, draft.video.duration_seconds, _caption(draft.video.caption)
        )
    assert draft.product is not None
    return ProductBlock(draft.product)


def _caption(caption: str | None) -> str | None:
    text = plain_text(caption) if caption is not None else ""
    return text or None


def block_text(block: Block) -> str:
    if isinstance(block, ParagraphBlock | HeadingBlock):
        return block.text
    if isinstance(block, ImageBlock | VideoBlock):
        return block.caption or ""
    return ""


def reading_minutes(texts: Sequence[str]) -> int:
    """Minutes to read the text at 220 words a minute (two CJK characters count as a word), at least 1."""
    words = 0.0
    for text in texts:
        cjk = len(_CJK.findall(text))
        words += len(_CJK.sub(" ", text).split()) + cjk / 2
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
