"""ArticleRepository: the articles collection, their kept revisions, and what articles read of others."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.article_blocks import (
    Block,
    HeadingBlock,
    ImageBlock,
    ParagraphBlock,
    ProductBlock,
    VideoBlock,
)
from app.domain.articles import Article, ArticleStatus, ArticleText
from app.store.port import Collection, Database, Document, Filter
from app.store.verticals import image_from_doc, image_to_doc

EditorKey = tuple[int, str]


def block_to_doc(block: Block) -> Document:
    if isinstance(block, ParagraphBlock):
        return {"t": "paragraph", "text": block.text}
    if isinstance(block, HeadingBlock):
        return {"t": "heading", "text": block.text, "level": block.level}
    if isinstance(block, ImageBlock):
        return {"t": "image", "image": image_to_doc(block.image), "caption": block.caption}
    if isinstance(block, ProductBlock):
        return {"t": "product", "product": block.product_key}
    return {
        "t": "video",
        "hls": block.hls_url,
        "poster": image_to_doc(block.poster),
        "duration": block.duration_seconds,
        "caption": block.caption,
    }


def block_from_doc(doc: Document) -> Block:
    kind = doc["t"]
    if kind == "paragraph":
        return ParagraphBlock(doc["text"])
    if kind == "heading":
        return HeadingBlock(doc["text"], doc["level"])
    if kind == "image":
        image = image_from_doc(doc["image"])
        assert image is not None
        return ImageBlock(image, doc.get("caption"))
    if kind == "product":
        return ProductBlock(doc["product"])
    poster = image_from_doc(doc["poster"])
    assert poster is not None
    return VideoBlock(doc["hls"], poster, doc["duration"], doc.get("caption"))


def article_to_doc(article: Article) -> Document:
    return {
        "_id": article.key,
        "slug": article.slug,
        "status": article.status.value,
        "revision": article.revision,
        "original_locale": article.original_locale,
        "texts": {
            locale: {"title": t.title, "summary": t.summary, "blocks": [block_to_doc(b) for b in t.blocks]}
            for locale, t in article.texts.items()
        },
        "vertical_key": article.vertical_key,
        "tags": list(article.tags),
        "cover": image_to_doc(article.cover),
        "author_key": article.author_key,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
        "published_at": article.published_at,
        "scheduled_at": article.scheduled_at,
        "notify_followers": article.notify_followers,
        "notified_at": article.notified_at,
        "seq": article.seq,
    }


def article_from_doc(doc: Document) -> Article:
    return Article(
        key=doc["_id"],
        slug=doc["slug"],
        status=ArticleStatus(doc["status"]),
        revision=doc["revision"],
        original_locale=doc["original_locale"],
        texts={
            locale: ArticleText(t["title"], t["summary"], tuple(block_from_doc(b) for b in t["blocks"]))
            for locale, t in doc["texts"].items()
        },
        vertical_key=doc.get("vertical_key"),
        tags=tuple(doc.get("tags", [])),
        cover=image_from_doc(doc.get("cover")),
        author_key=doc["author_key"],
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        published_at=doc.get("published_at"),
        scheduled_at=doc.get("scheduled_at"),
        notify_followers=bool(doc.get("notify_followers", False)),
        notified_at=doc.get("notified_at"),
        seq=doc.get("seq", 0),
    )


def _after(field: str, key: EditorKey | None) -> list[Filter]:
    """Keyset condition for a (field desc, _id desc) order."""
    if key is None:
        return []
    value, last = key
    return [{"$or": [{field: {"$lt": value}}, {field: value, "_id": {"$lt": last}}]}]


@dataclass(frozen=True)
class ArticleEvents:
    """The engagement events of one article that its stats read."""

    views: int
    dwell_ms: list[int]


class ArticleRepository:
    def __init__(self, database: Database) -> None:
        self._articles: Collection = database.collection("articles")
        self._revisions: Collection = database.collection("article_revisions")
        self._products: Collection = database.collection("products")
        self._events: Collection = database.collection("events")
        self._interests: Collection = database.collection("interests")

    async def ensure_indexes(self) -> None:
        await self._articles.create_index([("slug", 1)], unique=True, name="articles_slug")
        await self._articles.create_index([("status", 1), ("published_at", -1), ("_id", -1)])
        await self._articles.create_index([("status", 1), ("vertical_key", 1), ("published_at", -1)])
        await self._articles.create_index([("created_at", -1), ("_id", -1)])
        await self._articles.create_index([("status", 1), ("created_at", -1)])
        await self._revisions.create_index([("article_key", 1), ("revision", -1)])

    async def get(self, key: str) -> Article | None:
        doc = await self._articles.find_one({"_id": key})
        return article_from_doc(doc) if doc else None

    async def get_many(self, keys: Sequence[str]) -> list[Article | None]:
        found = {d["_id"]: d async for d in self._articles.find({"_id": {"$in": list(keys)}})}
        return [article_from_doc(found[k]) if k in found else None for k in keys]

    async def by_slug(self, slug: str) -> Article | None:
        doc = await self._articles.find_one({"slug": slug})
        return article_from_doc(doc) if doc else None

    async def slugs_taken(self, candidates: Sequence[str]) -> set[str]:
        return {d["slug"] async for d in self._articles.find({"slug": {"$in": list(candidates)}})}

    async def insert(self, article: Article, by: str, action: str) -> None:
        await self._articles.insert_one(article_to_doc(article))
        await self._keep_revision(article, by, action)

    async def save(self, article: Article, previous_revision: int, by: str, action: str) -> bool:
        """Writes the article if it is still at `previous_revision`; False when someone wrote meanwhile."""
        doc = article_to_doc(article)
        matched = await self._articles.update_one(
            {"_id": article.key, "revision": previous_revision},
            {"$set": {k: v for k, v in doc.items() if k != "_id"}},
        )
        if matched:
            await self._keep_revision(article, by, action)
        return matched == 1

    async def _keep_revision(self, article: Article, by: str, action: str) -> None:
        await self._revisions.insert_one(
            {
                "_id": f"{article.key}:{article.revision:08d}",
                "article_key": article.key,
                "revision": article.revision,
                "by": by,
                "at": article.updated_at,
                "action": action,
                "article": article_to_doc(article),
            }
        )

    async def history(self, key: str) -> list[dict[str, Any]]:
        """Who wrote each revision and when, newest first."""
        query = self._revisions.find({"article_key": key}, sort=[("revision", -1)])
        return [
            {"revision": d["revision"], "by": d["by"], "at": d["at"], "action": d["action"]}
            async for d in query
        ]

    async def published_page(
        self, vertical_key: str | None, tag: str | None, after: EditorKey | None, limit: int
    ) -> list[Article]:
        """Published articles, newest first, after the keyset (published_at, key)."""
        conditions: list[Filter] = [{"status": ArticleStatus.PUBLISHED.value}, *_after("published_at", after)]
        if vertical_key is not None:
            conditions.append({"vertical_key": vertical_key})
        if tag is not None:
            conditions.append({"tags": tag})
        query = self._articles.find(
            {"$and": conditions}, sort=[("published_at", -1), ("_id", -1)], limit=limit
        )
        return [article_from_doc(d) async for d in query]

    async def editor_page(
        self, status: ArticleStatus | None, after: EditorKey | None, limit: int
    ) -> list[Article]:
        """Every article, newest created first, after the keyset (created_at, key)."""
        conditions: list[Filter] = [*_after("created_at", after)]
        if status is not None:
            conditions.append({"status": status.value})
        query = self._articles.find(
            {"$and": conditions} if conditions else {}, sort=[("created_at", -1), ("_id", -1)], limit=limit
        )
        return [article_from_doc(d) async for d in query]

    async def all_batches(self, size: int) -> AsyncIterator[list[Article]]:
        """Every article in key order, `size` at a time (for a reindex)."""
        last = ""
        while True:
            query = self._articles.find({"_id": {"$gt": last}}, sort=[("_id", 1)], limit=size)
            batch = [article_from_doc(d) async for d in query]
            if not batch:
                return
            yield batch
            last = batch[-1].key

    async def insert_many(self, articles: Sequence[Article]) -> None:
        """Bulk load (the demo seed): no revision history, these never went through an editor."""
        if articles:
            await self._articles.insert_many([article_to_doc(a) for a in articles])

    async def products_of_vertical(self, vertical_key: str, limit: int) -> list[str]:
        """Some product keys of a vertical, for the demo articles' product blocks."""
        query = self._products.find({"vertical_key": vertical_key}, limit=limit)
        return [d["_id"] async for d in query]

    async def count(self) -> int:
        return await self._articles.count_documents({})

    async def existing_products(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        return {d["_id"] async for d in self._products.find({"_id": {"$in": list(keys)}})}

    async def close_followers(self, vertical_key: str) -> list[tuple[str, dict[str, float]]]:
        """(buyer key, vertical weights) of every buyer with any interest in the vertical."""
        query = self._interests.find({f"verticals.{vertical_key}": {"$gt": 0}})
        return [(d["user_key"], d.get("verticals", {})) async for d in query]

    async def events_of(self, keys: Sequence[str]) -> list[ArticleEvents]:
        """VIEW events counted once per viewer and hour, and DWELL durations, per article in key order."""
        viewers: dict[str, set[tuple[str, int]]] = {k: set() for k in keys}
        dwell: dict[str, list[int]] = {k: [] for k in keys}
        query = self._events.find(
            {
                "subject_type": "Article",
                "subject_key": {"$in": list(keys)},
                "kind": {"$in": ["VIEW", "DWELL"]},
            }
        )
        async for doc in query:
            key = doc["subject_key"]
            if doc["kind"] == "VIEW":
                viewers[key].add((str(doc.get("viewer")), int(doc.get("hour", 0))))
            elif isinstance(doc.get("duration_ms"), int | float):
                dwell[key].append(int(doc["duration_ms"]))
        return [ArticleEvents(len(viewers[k]), dwell[k]) for k in keys]
