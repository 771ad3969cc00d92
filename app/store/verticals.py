"""VerticalRepository: the verticals collection, small and read in one call."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.media import StoredImage
from app.domain.verticals import Vertical
from app.store.port import Collection, Database, Document


def image_from_doc(doc: Document | None) -> StoredImage | None:
    if not doc:
        return None
    return StoredImage(doc["host"], doc["path"], doc["width"], doc["height"], doc.get("alt"))


def image_to_doc(image: StoredImage | None) -> Document | None:
    if image is None:
        return None
    return {
        "host": image.host,
        "path": image.path,
        "width": image.width,
        "height": image.height,
        "alt": image.alt,
    }


def vertical_from_doc(doc: Document) -> Vertical:
    return Vertical(
        key=doc["_id"],
        slug=doc["slug"],
        names=doc["names"],
        hs_headings=tuple(doc["hs_headings"]),
        position=doc["position"],
        cover=image_from_doc(doc.get("cover")),
    )


def vertical_to_doc(vertical: Vertical) -> Document:
    return {
        "_id": vertical.key,
        "slug": vertical.slug,
        "names": vertical.names,
        "hs_headings": list(vertical.hs_headings),
        "position": vertical.position,
        "cover": image_to_doc(vertical.cover),
    }


class VerticalRepository:
    def __init__(self, database: Database) -> None:
        self._verticals: Collection = database.collection("verticals")

    async def ensure_indexes(self) -> None:
        await self._verticals.create_index([("position", 1)])

    async def all(self) -> list[Vertical]:
        return [vertical_from_doc(d) async for d in self._verticals.find({}, sort=[("position", 1)])]

    async def get_many(self, keys: Sequence[str]) -> list[Vertical | None]:
        found = {d["_id"]: d async for d in self._verticals.find({"_id": {"$in": list(keys)}})}
        return [vertical_from_doc(found[k]) if k in found else None for k in keys]

    async def upsert_many(self, verticals: Sequence[Vertical]) -> None:
        for vertical in verticals:
            doc = vertical_to_doc(vertical)
            await self._verticals.update_one(
                {"_id": vertical.key}, {"$set": {k: v for k, v in doc.items() if k != "_id"}}, upsert=True
            )
