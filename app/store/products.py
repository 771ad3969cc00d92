"""ProductRepository: the products collection, in a compact document (a million must fit comfortably)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from app.domain.media import StoredImage, StoredVideo
from app.domain.products import MediaItem, MediaKind, Product, StoredTier
from app.store.decoded import DecodedMemo
from app.store.port import Collection, Database, Document

# Supplier products, newest first: the keyset is (created_at, _id), both descending.
SUPPLIER_SORT = [("supplier_key", 1), ("created_at", -1), ("_id", -1)]
# Decoded products kept per process. A demo product takes about 6 KB decoded (titles and descriptions in
# up to all locales): 30,000 are ~180 MB, so with 1,000,000 products seeded the service stays near
# 0.5 GiB resident (~330 MiB without the memo), well under 1 GiB; pages and feeds favour popular items.
MEMO_CAPACITY = 30_000


def _media_from_doc(key: str, doc: Document) -> tuple[MediaItem, ...]:
    """Paths are derived from the product key, so the document keeps only sizes.

    Positional arguments and one list comprehension: a reindex decodes every product's media."""
    host: str = doc["host"]
    image_kind = MediaKind.IMAGE
    items = [
        MediaItem(f"{key}.image{index}", image_kind, StoredImage(host, f"p/{key}/{index}.jpg", width, height))
        for index, (width, height) in enumerate(doc.get("images") or ())
    ]
    video = doc.get("video")
    if video:
        stored = StoredVideo(host, f"v/{key}", video["dur"], tuple(video["h"]))
        items.insert(0, MediaItem(f"{key}.video", MediaKind.VIDEO, None, stored))
    panorama = doc.get("pano")
    if panorama:
        image = StoredImage(host, f"p/{key}/360.jpg", panorama[0], panorama[1])
        items.append(MediaItem(f"{key}.pano", MediaKind.PANORAMA, image))
    return tuple(items)


def _media_to_doc(product: Product) -> Document:
    doc: Document = {"host": "", "video": None, "images": [], "pano": None}
    for item in product.media:
        if item.video is not None:
            doc["host"] = item.video.host
            doc["video"] = {"dur": item.video.duration_seconds, "h": list(item.video.heights)}
        elif item.image is not None:
            doc["host"] = item.image.host
            if item.kind is MediaKind.PANORAMA:
                doc["pano"] = [item.image.width, item.image.height]
            else:
                doc["images"].append([item.image.width, item.image.height])
    return doc


def product_from_doc(doc: Document) -> Product:
    key: str = doc["_id"]
    return Product(
        key=key,
        seq=doc["seq"],
        version=doc["version"],
        supplier_key=doc["supplier_key"],
        vertical_key=doc["vertical_key"],
        titles=doc["titles"],
        descriptions=doc.get("descriptions", {}),
        currency=doc["currency"],
        tiers=tuple([StoredTier(q, p) for q, p in doc["tiers"]]),
        unit=doc.get("unit", "pieces"),
        specs=tuple([(name, value) for name, value in doc.get("specs", ())]),
        media=_media_from_doc(key, doc),
        lead_time_days=doc.get("lead_days"),
        trade_assurance=doc.get("ta", False),
        created_at=doc["created_at"],
        popularity=doc.get("popularity", 0.0),
    )


def product_to_doc(product: Product) -> Document:
    return {
        "_id": product.key,
        "seq": product.seq,
        "version": product.version,
        "supplier_key": product.supplier_key,
        "vertical_key": product.vertical_key,
        "titles": product.titles,
        "descriptions": product.descriptions,
        "currency": product.currency,
        "tiers": [[t.min_quantity, t.unit_minor] for t in product.tiers],
        "unit": product.unit,
        "specs": [[name, value] for name, value in product.specs],
        **_media_to_doc(product),
        "lead_days": product.lead_time_days,
        "ta": product.trade_assurance,
        "created_at": product.created_at,
        "popularity": product.popularity,
    }


class ProductRepository:
    def __init__(self, database: Database) -> None:
        self._products: Collection = database.collection("products")
        self._decoded = DecodedMemo(database, self._products, product_from_doc, MEMO_CAPACITY)

    async def ensure_indexes(self) -> None:
        await self._products.create_index(SUPPLIER_SORT)

    async def get_many(self, keys: Sequence[str]) -> list[Product | None]:
        """In key order, None for an unknown key; decoded products are reused while their version holds."""
        return await self._decoded.get_many(keys)

    async def of_supplier(self, supplier_key: str, after: Sequence[Any] | None, limit: int) -> list[Product]:
        """Newest first; `after` is the (created_at, key) of the last product of the previous page."""
        query: dict[str, Any] = {"supplier_key": supplier_key}
        if after is not None:
            created_at, key = after
            query["$or"] = [
                {"created_at": {"$lt": created_at}},
                {"created_at": created_at, "_id": {"$lt": key}},
            ]
        sort = [("created_at", -1), ("_id", -1)]
        return [product_from_doc(d) async for d in self._products.find(query, sort=sort, limit=limit)]

    async def insert_many(self, products: Sequence[Product]) -> None:
        await self.insert_docs([product_to_doc(p) for p in products])

    async def insert_docs(self, docs: Sequence[Document]) -> None:
        """Bulk load of prepared documents (the demo seed builds them directly, for speed)."""
        if docs:
            await self._products.insert_many(docs)

    async def put(self, product: Product) -> Product:
        """Writes the product as a new version (the search index keeps only the newest one)."""
        doc = product_to_doc(product)
        fields = {k: v for k, v in doc.items() if k not in ("_id", "version")}
        written = await self._products.find_one_and_update(
            {"_id": product.key}, {"$set": fields, "$inc": {"version": 1}}, upsert=True, return_new=True
        )
        if written is None:
            raise RuntimeError(f"upsert of product {product.key} returned nothing")
        return self._decoded.written(written)

    async def batches(self, size: int) -> AsyncIterator[list[Product]]:
        """Every product in key order, a batch per round trip (for reindexing)."""
        last: str | None = None
        while True:
            query = {"_id": {"$gt": last}} if last is not None else {}
            batch = [
                product_from_doc(d) async for d in self._products.find(query, sort=[("_id", 1)], limit=size)
            ]
            if not batch:
                return
            yield batch
            last = batch[-1].key

    async def count(self) -> int:
        return await self._products.count_documents({})
