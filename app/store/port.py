"""The store port: the small async document-collection interface every repository is written against.

It is the subset of PyMongo's `AsyncCollection` that our repositories use, so the MongoDB
adapter is a thin pass-through and the SQLite adapter implements exactly this subset.

Documents hold JSON types only (str, int, float, bool, None, list, dict); `_id` is a str.
Times are epoch milliseconds (int) and money is integer minor units, so that both engines
compare and sort them alike.

Filter operators: equality on a field or dotted path (on an array field, equality matches
any element), `$eq`, `$ne`, `$gt`, `$gte`, `$lt`, `$lte`, `$in`, `$nin`, `$exists`, and
top-level `$and` / `$or`.
Update operators: `$set`, `$unset`, `$inc`, `$max`, `$min`, `$setOnInsert`, `$push` (with
`$each` and negative `$slice`), `$addToSet` (with `$each`), `$pull` (equality only).
Sort: a list of (field, 1 | -1); missing values sort first ascending, as MongoDB does.
Projection (`find` only): a list of top-level field names; each result then holds `_id` and
those fields only (a field the document lacks is absent), as MongoDB's `{field: 1, ...}`.

Transactions: `async with database.transaction():` makes every call of every collection
of that database inside the block part of one transaction (through a context variable),
committed at the end of the block and rolled back on an exception. An engine that detects
concurrent writes to one document (MongoDB) raises WriteConflict, after which nothing of the
transaction is written and it may be run again from its first read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Hashable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

Document = dict[str, Any]
Filter = Mapping[str, Any]
Update = Mapping[str, Any]
SortSpec = Sequence[tuple[str, int]]


class DuplicateKeyError(Exception):
    """An insert or upsert broke a unique index."""


class StoreUnavailable(Exception):
    """The engine cannot be reached."""


class WriteConflict(Exception):
    """A concurrent transaction wrote the same document first; the whole transaction may be run again."""


class Collection(Protocol):
    async def find_one(self, filter: Filter, *, sort: SortSpec | None = None) -> Document | None: ...

    def find(
        self,
        filter: Filter,
        *,
        sort: SortSpec | None = None,
        limit: int = 0,
        skip: int = 0,
        projection: Sequence[str] | None = None,
    ) -> AsyncIterator[Document]: ...

    async def count_documents(self, filter: Filter) -> int: ...

    async def change_mark(self) -> Hashable | None:
        """A mark that differs whenever a document of this collection may have changed since an earlier
        mark, by this process or another; None when the engine cannot tell cheaply (then ask the
        documents). Taken before a read, it vouches for what that read returned."""
        ...

    async def insert_one(self, document: Document) -> None: ...

    async def insert_many(self, documents: Sequence[Document]) -> None: ...

    async def update_one(self, filter: Filter, update: Update, *, upsert: bool = False) -> int:
        """Returns how many documents matched (0 or 1); an upsert that inserts returns 0."""
        ...

    async def update_many(self, filter: Filter, update: Update) -> int:
        """Returns how many documents matched."""
        ...

    async def find_one_and_update(
        self,
        filter: Filter,
        update: Update,
        *,
        upsert: bool = False,
        sort: SortSpec | None = None,
        return_new: bool = True,
    ) -> Document | None: ...

    async def delete_one(self, filter: Filter) -> int: ...

    async def delete_many(self, filter: Filter) -> int: ...

    async def create_index(
        self, keys: SortSpec, *, unique: bool = False, name: str | None = None
    ) -> None: ...


class Database(Protocol):
    def collection(self, name: str) -> Collection: ...

    def transaction(self) -> AbstractAsyncContextManager[None]: ...

    def in_transaction(self) -> bool:
        """Whether a call made here now would be part of a `transaction()` block (whose reads may
        see writes that a rollback later discards)."""
        ...

    async def ping(self) -> None:
        """Raises StoreUnavailable when the engine cannot be reached."""
        ...

    async def close(self) -> None: ...
