"""VerticalRepository: the verticals collection, small and read whole in one call."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

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
    """Where the engine offers a change mark, all verticals are kept decoded while it holds: nearly
    every page shows some, and they change a few times a year."""

    def __init__(self, database: Database) -> None:
        self._verticals: Collection = database.collection("verticals")
        self._kept: tuple[Hashable, list[Vertical]] | None = None

    async def ensure_indexes(self) -> None:
        await self._verticals.create_index([("position", 1)])

    async def all(self) -> list[Vertical]:
        # Taken before the read, so it vouches only for what the read returns.
        mark = await self._verticals.change_mark()
        if mark is not None and self._kept is not None and self._kept[0] == mark:
            return list(self._kept[1])
        found = [vertical_from_doc(d) async for d in self._verticals.find({}, sort=[("position", 1)])]
        if mark is not None:
            self._kept = (mark, found)
        return list(found)

    async def get_many(self, keys: Sequence[str]) -> list[Vertical | None]:
        by_key = {vertical.key: vertical for vertical in await self.all()}
        return [by_key.get(k) for k in keys]

    async def upsert_many(self, verticals: Sequence[Vertical]) -> None:
        for vertical in verticals:
            doc = vertical_to_doc(vertical)
            await self._verticals.update_one(
                {"_id": vertical.key}, {"$set": {k: v for k, v in doc.items() if k != "_id"}}, upsert=True
            )
