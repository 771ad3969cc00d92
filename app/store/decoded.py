"""DecodedMemo: decoded entities of a versioned collection, reused while their stored version is unchanged.

For collections whose every write increments the document's `version` in the same atomic update
(products, suppliers). A batch read first asks the store for the versions only; an entity whose
memoized version is the stored one is reused, the rest are read in full, decoded and memoized. So a
write by any process is seen at once: no invalidation messages, no expiry. Where the engine offers a
change mark (SQLite), an entity checked under the collection's current mark is reused without even
asking for its version: nothing in the collection has changed since.

Never memoized: what was read inside a transaction. Such a read may see a version the transaction
wrote and a rollback later discards; a later write would then reach the same version number with
other content. Reads inside a transaction still use hits (their version check is made in the
transaction's own snapshot). Entities are shared between requests: they must be immutable, and
nobody may change the dicts they hold.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

from app.store.port import Collection, Database, Document

T = TypeVar("T")


class DecodedMemo(Generic[T]):
    """A least-recently-used map of key -> (version, entity) over one collection, bounded by entry count."""

    def __init__(
        self, database: Database, collection: Collection, decode: Callable[[Document], T], capacity: int
    ) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity}")
        self._database = database
        self._collection = collection
        self._decode = decode
        self._capacity = capacity
        self._entries: OrderedDict[str, tuple[int, T, Hashable | None]] = OrderedDict()
        """key -> (version, entity, the change mark it was last checked under)."""

    def __len__(self) -> int:
        return len(self._entries)

    async def get_many(self, keys: Sequence[str]) -> list[T | None]:
        """The entities of `keys`, in key order, None for a key with no document: none, one or two
        reads (the versions of memoized keys not checked under the current mark, the other documents)."""
        entries = self._entries
        unique = list(dict.fromkeys(keys))
        # Taken before any read, so it vouches only for what the reads below return.
        mark = await self._collection.change_mark()
        found: dict[str, T] = {}
        known: list[str] = []
        for key in unique:
            entry = entries.get(key)
            if entry is None:
                continue
            if mark is not None and entry[2] == mark:
                entries.move_to_end(key)
                found[key] = entry[1]
            else:
                known.append(key)
        gone = set(known)
        if known:
            async for doc in self._collection.find({"_id": {"$in": known}}, projection=["version"]):
                key = doc["_id"]
                gone.discard(key)
                entry = entries.get(key)  # may have changed or gone while the read was awaited
                if entry is not None and entry[0] == doc.get("version"):
                    entries[key] = (entry[0], entry[1], mark)
                    entries.move_to_end(key)
                    found[key] = entry[1]
            for key in gone:  # deleted since it was memoized
                entries.pop(key, None)
        rest = [key for key in unique if key not in found and key not in gone]
        if rest:
            remember = not self._database.in_transaction()
            async for doc in self._collection.find({"_id": {"$in": rest}}):
                entity = self._decode(doc)
                found[doc["_id"]] = entity
                if remember:
                    self._remember(doc["_id"], doc.get("version"), entity, mark)
        return [found.get(key) for key in keys]

    def written(self, doc: Document) -> T:
        """Decodes a document just written; memoizes it only when the write was not part of a transaction
        (a transaction's write is not committed yet, and may never be)."""
        entity = self._decode(doc)
        if not self._database.in_transaction():
            # No mark: a mark taken now could postdate a write that came after this one.
            self._remember(doc["_id"], doc.get("version"), entity, None)
        return entity

    def _remember(self, key: str, version: object, entity: T, mark: Hashable | None) -> None:
        if not isinstance(version, int) or isinstance(version, bool):
            return  # unversioned: no later read could tell whether it is still current
        entries = self._entries
        entries[key] = (version, entity, mark)
        entries.move_to_end(key)
        if len(entries) > self._capacity:
            entries.popitem(last=False)
