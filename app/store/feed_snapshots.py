"""FeedSnapshotRepository: the ranked list a feed cursor pins, so later pages never repeat an item.

Also reads what a feed needs of a buyer's own history: saved products, products asked about in
inquiries, followed suppliers (collections written by the catalog and inquiries use cases).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from app.domain.feeds import FeedItem, ItemKind, ReasonCode
from app.domain.ranking import Placed
from app.store.port import Collection, Database, Document

HISTORY_LIMIT = 500


@dataclass(frozen=True)
class SnapshotEntry:
    item: FeedItem
    placed: Placed


@dataclass(frozen=True)
class Snapshot:
    key: str
    vertical_key: str | None
    entries: Sequence[SnapshotEntry]
    exhausted: bool
    expires_at: int


class StoredEntries(Sequence[SnapshotEntry]):
    """A stored snapshot's entries, each decoded when first read: a page reads 20 of the 200 or more
    (decoding them all was about a fifth of a deep page's CPU)."""

    def __init__(self, raw: list[list[object]]) -> None:
        self._raw = raw
        self._decoded: list[SnapshotEntry | None] = [None] * len(raw)

    def __len__(self) -> int:
        return len(self._raw)

    @overload
    def __getitem__(self, index: int) -> SnapshotEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[SnapshotEntry]: ...

    def __getitem__(self, index: int | slice) -> SnapshotEntry | list[SnapshotEntry]:
        if isinstance(index, slice):
            return [self._entry(i) for i in range(*index.indices(len(self._raw)))]
        return self._entry(range(len(self._raw))[index])

    def _entry(self, position: int) -> SnapshotEntry:
        entry = self._decoded[position]
        if entry is None:
            entry = self._decoded[position] = entry_from_doc(self._raw[position])
        return entry


def entry_to_doc(entry: SnapshotEntry) -> list[object]:
    item, placed = entry.item, entry.placed
    return [item.kind.value, item.key, item.reason.value, placed.supplier_key, list(placed.vertical_keys)]


def entry_from_doc(raw: list[object]) -> SnapshotEntry:
    kind, key, reason, supplier, verticals = raw
    assert isinstance(verticals, list)
    item = FeedItem(ItemKind(str(kind)), str(key), ReasonCode(str(reason)))
    return SnapshotEntry(
        item, Placed(None if supplier is None else str(supplier), tuple(map(str, verticals)))
    )


def snapshot_from_doc(doc: Document) -> Snapshot:
    return Snapshot(
        key=doc["_id"],
        vertical_key=doc.get("vertical_key"),
        entries=StoredEntries(doc["entries"]),
        exhausted=bool(doc.get("exhausted")),
        expires_at=doc["expires_at"],
    )


class FeedSnapshotRepository:
    def __init__(self, database: Database) -> None:
        self._snapshots: Collection = database.collection("feed_snapshots")
        self._saved: Collection = database.collection("saved")
        self._follows: Collection = database.collection("follows")
        self._inquiries: Collection = database.collection("inquiries")

    async def ensure_indexes(self) -> None:
        await self._snapshots.create_index([("expires_at", 1)])

    async def create(self, snapshot: Snapshot, scope: str, now: int) -> None:
        await self._snapshots.insert_one(
            {
                "_id": snapshot.key,
                "scope": scope,
                "vertical_key": snapshot.vertical_key,
                "entries": [entry_to_doc(e) for e in snapshot.entries],
                "exhausted": snapshot.exhausted,
                "created_at": now,
                "expires_at": snapshot.expires_at,
            }
        )

    async def get(self, key: str, now: int) -> Snapshot | None:
        """None once expired, whether or not the pruning has removed it yet."""
        doc = await self._snapshots.find_one({"_id": key, "expires_at": {"$gt": now}})
        return snapshot_from_doc(doc) if doc else None

    async def still_held(self, key: str, now: int) -> bool:
        """Whether the snapshot is there and not expired, without reading its entries."""
        return await self._snapshots.count_documents({"_id": key, "expires_at": {"$gt": now}}) > 0

    async def extend(self, key: str, entries: Sequence[SnapshotEntry], exhausted: bool) -> None:
        await self._snapshots.update_one(
            {"_id": key},
            {
                "$push": {"entries": {"$each": [entry_to_doc(e) for e in entries]}},
                "$set": {"exhausted": exhausted},
            },
        )

    async def prune(self, now: int) -> None:
        await self._snapshots.delete_many({"expires_at": {"$lte": now}})

    async def saved_products(self, user_key: str) -> list[str]:
        query = self._saved.find({"user_key": user_key}, sort=[("created_at", -1)], limit=HISTORY_LIMIT)
        return [d["product_key"] async for d in query]

    async def inquired_products(self, user_key: str) -> list[str]:
        query = self._inquiries.find({"buyer_key": user_key}, sort=[("created_at", -1)], limit=HISTORY_LIMIT)
        return [d["product_key"] async for d in query if d.get("product_key")]

    async def followed_suppliers(self, user_key: str) -> list[str]:
        query = self._follows.find({"user_key": user_key}, sort=[("created_at", -1)], limit=HISTORY_LIMIT)
        return [d["supplier_key"] async for d in query]
