"""A Collection wrapper that counts every round trip for `QUERY_STATS=1`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Hashable, Sequence
from contextlib import AbstractAsyncContextManager

from app.stats import count_store_call
from app.store.port import Collection, Database, Document, Filter, SortSpec, Update


class CountingCollection:
    def __init__(self, inner: Collection) -> None:
        self._inner = inner

    async def find_one(self, filter: Filter, *, sort: SortSpec | None = None) -> Document | None:
        count_store_call()
        return await self._inner.find_one(filter, sort=sort)

    async def find(
        self,
        filter: Filter,
        *,
        sort: SortSpec | None = None,
        limit: int = 0,
        skip: int = 0,
        projection: Sequence[str] | None = None,
    ) -> AsyncIterator[Document]:
        count_store_call()
        async for document in self._inner.find(
            filter, sort=sort, limit=limit, skip=skip, projection=projection
        ):
            yield document

    async def count_documents(self, filter: Filter) -> int:
        count_store_call()
        return await self._inner.count_documents(filter)

    async def change_mark(self) -> Hashable | None:
        return await self._inner.change_mark()  # no document is read: not counted as a call

    async def insert_one(self, document: Document) -> None:
        count_store_call()
        await self._inner.insert_one(document)

    async def insert_many(self, documents: Sequence[Document]) -> None:
        count_store_call()
        await self._inner.insert_many(documents)

    async def update_one(self, filter: Filter, update: Update, *, upsert: bool = False) -> int:
        count_store_call()
        return await self._inner.update_one(filter, update, upsert=upsert)

    async def update_many(self, filter: Filter, update: Update) -> int:
        count_store_call()
        return await self._inner.update_many(filter, update)

    async def find_one_and_update(
        self,
        filter: Filter,
        update: Update,
        *,
        upsert: bool = False,
        sort: SortSpec | None = None,
        return_new: bool = True,
    ) -> Document | None:
        count_store_call()
        return await self._inner.find_one_and_update(
            filter, update, upsert=upsert, sort=sort, return_new=return_new
        )

    async def delete_one(self, filter: Filter) -> int:
        count_store_call()
        return await self._inner.delete_one(filter)

    async def delete_many(self, filter: Filter) -> int:
        count_store_call()
        return await self._inner.delete_many(filter)

    async def create_index(self, keys: SortSpec, *, unique: bool = False, name: str | None = None) -> None:
        await self._inner.create_index(keys, unique=unique, name=name)


class CountingDatabase:
    def __init__(self, inner: Database) -> None:
        self._inner = inner

    def collection(self, name: str) -> Collection:
        return CountingCollection(self._inner.collection(name))

    def transaction(self) -> AbstractAsyncContextManager[None]:
        return self._inner.transaction()

    def in_transaction(self) -> bool:
        return self._inner.in_transaction()

    async def ping(self) -> None:
        await self._inner.ping()

    async def close(self) -> None:
        await self._inner.close()
