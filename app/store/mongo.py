"""MongoDB engine of the store port: a thin pass-through to PyMongo's `AsyncMongoClient`.

- `transaction()` starts a client session and a transaction, and puts the session in a
  context variable that every collection call passes as `session=`; the block commits at
  its end and aborts on an exception. A nested `transaction()` joins the enclosing one.
  (A session runs one operation at a time: do not `gather` calls inside a transaction.)
- PyMongo's duplicate-key errors (also inside a bulk `insert_many`) become the port's
  `DuplicateKeyError`; connection failures become `StoreUnavailable`.
- `_id`s are strs: an insert without `_id` gets `str(ObjectId())` (written into the caller's
  dict, as PyMongo does), and so does an upsert whose filter does not fix `_id`.
- Server selection times out after 3 s. The database is the URL's path, else `buyer`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Hashable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from typing import Any

from pymongo import AsyncMongoClient, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, ConnectionFailure, OperationFailure, PyMongoError
from pymongo.errors import DuplicateKeyError as PyMongoDuplicateKeyError

from app.store.doc_update import new_id, projected_fields
from app.store.port import (
    Document,
    DuplicateKeyError,
    Filter,
    SortSpec,
    StoreUnavailable,
    Update,
    WriteConflict,
)

DEFAULT_DATABASE = "buyer"
_DUPLICATE_CODES = (11000, 11001, 12582)
_WRITE_CONFLICT = 112


def open_mongo(url: str, database: str | None = None) -> MongoDatabase:
    """A database over a new client; no I/O until the first call (`ping()` checks the server)."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(url, serverSelectionTimeoutMS=3000)
    name = database or client.get_default_database(DEFAULT_DATABASE).name
    return MongoDatabase(client, name)


@asynccontextmanager
async def _errors() -> AsyncIterator[None]:
    """Maps PyMongo's errors to the port's."""
    try:
        yield
    except PyMongoDuplicateKeyError as exc:
        raise DuplicateKeyError(str(exc)) from exc
    except BulkWriteError as exc:
        codes = {error.get("code") for error in exc.details.get("writeErrors", [])}
        if codes & set(_DUPLICATE_CODES):
            raise DuplicateKeyError(str(exc)) from exc
        raise
    except ConnectionFailure as exc:  # includes AutoReconnect and ServerSelectionTimeoutError
        raise StoreUnavailable(str(exc)) from exc
    except OperationFailure as exc:
        if exc.has_error_label("TransientTransactionError") or exc.code == _WRITE_CONFLICT:
            raise WriteConflict(str(exc)) from exc
        raise


class MongoDatabase:
    def __init__(self, client: AsyncMongoClient[Document], name: str) -> None:
        self._client = client
        self._db: AsyncDatabase[Document] = client[name]
        self._session: ContextVar[AsyncClientSession | None] = ContextVar(
            f"mongo_session_{id(self)}", default=None
        )

    @property
    def name(self) -> str:
        return self._db.name

    def collection(self, name: str) -> MongoCollection:
        return MongoCollection(self._db[name], self._current_session)

    def in_transaction(self) -> bool:
        return self._current_session() is not None

    def _current_session(self) -> AsyncClientSession | None:
        session = self._session.get()
        return session if session is not None and session.in_transaction else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self._current_session() is not None:  # nested: part of the enclosing transaction
            yield
            return
        async with _errors():
            session = self._client.start_session()
        try:
            async with _errors():
                await session.start_transaction()
            token = self._session.set(session)
            try:
                yield
            except BaseException:
                if session.in_transaction:
                    with suppress(PyMongoError):  # the block's exception is the one to report
                        await session.abort_transaction()
                raise
            finally:
                self._session.reset(token)
            async with _errors():
                await session.commit_transaction()
        finally:
            await session.end_session()

    async def ping(self) -> None:
        async with _errors():
            await self._db.command("ping")

    async def close(self) -> None:
        await self._client.close()

    async def drop(self) -> None:
        """Drops the whole database (tests)."""
        async with _errors():
            await self._client.drop_database(self._db.name)


def _fixes_id(filter: Filter, update: Update) -> bool:
    """Whether an upsert's inserted document gets its `_id` from the filter or the update."""
    for op in ("$set", "$setOnInsert"):
        fields = update.get(op)
        if isinstance(fields, Mapping) and "_id" in fields:
            return True
    condition = filter.get("_id")
    if condition is not None and (not isinstance(condition, Mapping) or "$eq" in condition):
        return True
    return any(_fixes_id(part, {}) for part in filter.get("$and", ()))


def _with_generated_id(filter: Filter, update: Update) -> Update:
    if _fixes_id(filter, update):
        return update
    on_insert = {**update.get("$setOnInsert", {}), "_id": new_id()}
    return {**update, "$setOnInsert": on_insert}


def _projection(names: Sequence[str]) -> dict[str, int]:
    """MongoDB's projection of `names`; `_id: 1` keeps an empty one a projection (`{}` reads as
    "every field")."""
    return {"_id": 1, **{name: 1 for name in projected_fields(names)}}


class MongoCollection:
    def __init__(
        self, collection: AsyncCollection[Document], session: Callable[[], AsyncClientSession | None]
    ) -> None:
        self._collection = collection
        self._session = session  # () -> the transaction's session, or None

    async def find_one(self, filter: Filter, *, sort: SortSpec | None = None) -> Document | None:
        async with _errors():
            return await self._collection.find_one(
                filter, sort=list(sort) if sort else None, session=self._session()
            )

    def find(
        self,
        filter: Filter,
        *,
        sort: SortSpec | None = None,
        limit: int = 0,
        skip: int = 0,
        projection: Sequence[str] | None = None,
    ) -> AsyncIterator[Document]:
        fields = None if projection is None else _projection(projection)
        return self._find(filter, sort, limit, skip, fields)

    async def _find(
        self, filter: Filter, sort: SortSpec | None, limit: int, skip: int, fields: dict[str, int] | None
    ) -> AsyncIterator[Document]:
        async with _errors():
            cursor = self._collection.find(
                filter,
                projection=fields,
                sort=list(sort) if sort else None,
                limit=limit,
                skip=skip,
                session=self._session(),
            )
            try:
                async for document in cursor:
                    yield document
            finally:
                await cursor.close()

    async def count_documents(self, filter: Filter) -> int:
        async with _errors():
            return await self._collection.count_documents(filter, session=self._session())

    async def change_mark(self) -> Hashable | None:
        return None  # a change stream could tell, at the cost of a cursor per collection and process

    async def insert_one(self, document: Document) -> None:
        if "_id" not in document:
            document["_id"] = new_id()
        async with _errors():
            await self._collection.insert_one(document, session=self._session())

    async def insert_many(self, documents: Sequence[Document]) -> None:
        if not documents:
            return
        for document in documents:
            if "_id" not in document:
                document["_id"] = new_id()
        async with _errors():
            await self._collection.insert_many(documents, session=self._session())

    async def update_one(self, filter: Filter, update: Update, *, upsert: bool = False) -> int:
        if upsert:
            update = _with_generated_id(filter, update)
        async with _errors():
            result = await self._collection.update_one(filter, update, upsert=upsert, session=self._session())
        return result.matched_count

    async def update_many(self, filter: Filter, update: Update) -> int:
        async with _errors():
            result = await self._collection.update_many(filter, update, session=self._session())
        return result.matched_count

    async def find_one_and_update(
        self,
        filter: Filter,
        update: Update,
        *,
        upsert: bool = False,
        sort: SortSpec | None = None,
        return_new: bool = True,
    ) -> Document | None:
        if upsert:
            update = _with_generated_id(filter, update)
        async with _errors():
            return await self._collection.find_one_and_update(
                filter,
                update,
                upsert=upsert,
                sort=list(sort) if sort else None,
                return_document=ReturnDocument.AFTER if return_new else ReturnDocument.BEFORE,
                session=self._session(),
            )

    async def delete_one(self, filter: Filter) -> int:
        async with _errors():
            result = await self._collection.delete_one(filter, session=self._session())
        return result.deleted_count

    async def delete_many(self, filter: Filter) -> int:
        async with _errors():
            result = await self._collection.delete_many(filter, session=self._session())
        return result.deleted_count

    async def create_index(self, keys: SortSpec, *, unique: bool = False, name: str | None = None) -> None:
        options: dict[str, Any] = {"unique": True} if unique else {}
        if name is not None:
            options["name"] = name
        async with _errors():
            await self._collection.create_index(list(keys), session=self._session(), **options)
