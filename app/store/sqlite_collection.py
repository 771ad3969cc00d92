"""The collection calls of the SQLite engine (see `app.store.sqlite` for scopes and locking).

A unique index is a plain index on the `json_extract` expressions (which queries use) plus
a UNIQUE index over `ifnull(expr, x'00')`, so that, as in MongoDB, null and missing values
collide too. `find` reads all its results before yielding the first one (no lock is held
while the caller iterates, so the loop body may call the store).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Hashable, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from app.store.doc_update import apply_update, new_id, projected_fields, upsert_seed, validate_update
from app.store.port import Document, Filter, SortSpec, Update
from app.store.sqlite_query import (
    compile_filter,
    compile_sort,
    index_columns,
    json_path,
    quote_identifier,
    split_path,
    unique_index_columns,
)

if TYPE_CHECKING:
    from app.store.sqlite import SqliteDatabase

_JSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _reject(value: Any) -> Any:
    raise TypeError(f"documents hold JSON types only, not {type(value).__name__}")


def _dumps(doc: Document) -> str:
    return orjson.dumps(doc, default=_reject, option=_JSON_OPTIONS).decode()


def _with_id_first(doc: Document) -> Document:
    identifier = doc.get("_id")
    if not isinstance(identifier, str):
        raise ValueError(f"_id must be a str, not {identifier!r}")
    return {"_id": identifier, **{k: v for k, v in doc.items() if k != "_id"}}


class SqliteCollection:
    def __init__(self, database: SqliteDatabase, name: str) -> None:
        self._db = database
        self._name = name
        self._table = quote_identifier(name)

    async def find_one(self, filter: Filter, *, sort: SortSpec | None = None) -> Document | None:
        async with self._db.reading(self._name):
            rows = self._select("doc", filter, sort, 1, 0)
        return orjson.loads(rows[0][0]) if rows else None

    def find(
        self,
        filter: Filter,
        *,
        sort: SortSpec | None = None,
        limit: int = 0,
        skip: int = 0,
        projection: Sequence[str] | None = None,
    ) -> AsyncIterator[Document]:
        if projection is None:
            return self._find(filter, sort, limit, skip)
        fields = projected_fields(projection)
        columns = ", ".join(["id", *[f"doc -> {json_path(split_path(name))}" for name in fields]])
        return self._find_fields(filter, sort, limit, skip, columns, fields)

    async def _find(
        self, filter: Filter, sort: SortSpec | None, limit: int, skip: int
    ) -> AsyncIterator[Document]:
        async with self._db.reading(self._name):
            rows = self._select("doc", filter, sort, limit, skip)
        for (text,) in rows:
            yield orjson.loads(text)

    async def _find_fields(
        self, filter: Filter, sort: SortSpec | None, limit: int, skip: int, columns: str, fields: list[str]
    ) -> AsyncIterator[Document]:
        """`find` with a projection. `doc -> '$.f'` is the field's JSON text (NULL when it is missing),
        which keeps its type exactly (`json_extract` gives true as 1 and an object as a str)."""
        async with self._db.reading(self._name):
            rows = self._select(columns, filter, sort, limit, skip)
        for identifier, *values in rows:
            doc: Document = {"_id": identifier}
            for name, text in zip(fields, values, strict=True):
                if text is not None:
                    doc[name] = orjson.loads(text)
            yield doc

    async def change_mark(self) -> Hashable | None:
        return await self._db.change_mark(self._name)

    async def count_documents(self, filter: Filter) -> int:
        async with self._db.reading(self._name):
            where, params = self._where(filter)
            sql = f"SELECT COUNT(*) FROM {self._table} WHERE {where}"
            count: int = self._db.execute(sql, params).fetchone()[0]
        return count

    async def explain(self, filter: Filter, *, sort: SortSpec | None = None, limit: int = 0) -> list[str]:
        """SQLite's query plan (the `detail` lines of EXPLAIN QUERY PLAN) of `find(filter, ...)`."""
        async with self._db.reading(self._name):
            rows = self._select("doc", filter, sort, limit, 0, explain=True)
        return [row[3] for row in rows]

    async def insert_one(self, document: Document) -> None:
        await self.insert_many([document])

    async def insert_many(self, documents: Sequence[Document]) -> None:
        prepared = []
        for document in documents:
            if "_id" not in document:
                document["_id"] = new_id()  # as PyMongo does, the caller's dict gets its _id
            doc = _with_id_first(document)
            prepared.append((doc, _dumps(doc)))
        if not prepared:
            return
        async with self._db.writing(self._name):
            self._db.record_arrays(self._name, (doc for doc, _ in prepared))
            sql = f"INSERT INTO {self._table} (id, doc) VALUES (?, ?)"
            self._db.executemany(sql, [(doc["_id"], text) for doc, text in prepared])

    async def update_one(self, filter: Filter, update: Update, *, upsert: bool = False) -> int:
        matched, _, _ = await self._update(filter, update, upsert=upsert, many=False)
        return matched

    async def update_many(self, filter: Filter, update: Update) -> int:
        matched, _, _ = await self._update(filter, update, upsert=False, many=True)
        return matched

    async def find_one_and_update(
        self,
        filter: Filter,
        update: Update,
        *,
        upsert: bool = False,
        sort: SortSpec | None = None,
        return_new: bool = True,
    ) -> Document | None:
        _, before, after = await self._update(filter, update, upsert=upsert, many=False, sort=sort)
        return after if return_new else before

    async def delete_one(self, filter: Filter) -> int:
        return await self._delete(filter, "LIMIT 1")

    async def delete_many(self, filter: Filter) -> int:
        return await self._delete(filter, "")

    async def create_index(self, keys: SortSpec, *, unique: bool = False, name: str | None = None) -> None:
        name = name or "_".join(f"{path}_{direction}" for path, direction in keys)
        index = quote_identifier(f"{self._name}.{name}")
        columns = ", ".join(index_columns(keys))
        async with self._db.writing(self._name):
            self._db.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {self._table} ({columns})")
            if unique:
                unique_index = quote_identifier(f"{self._name}.{name}.unique")
                unique_columns = ", ".join(unique_index_columns(keys))
                self._db.execute(
                    f"CREATE UNIQUE INDEX IF NOT EXISTS {unique_index} ON {self._table} ({unique_columns})"
                )

    # -- internals ---------------------------------------------------------------------------------

    def _where(self, filter: Filter) -> tuple[str, list[Any]]:
        return compile_filter(filter, self._db.array_paths(self._name))

    def _select(
        self,
        columns: str,
        filter: Filter,
        sort: SortSpec | None,
        limit: int,
        skip: int,
        explain: bool = False,
    ) -> list[Any]:
        where, params = self._where(filter)
        sql = f"SELECT {columns} FROM {self._table} WHERE {where} {compile_sort(sort)}"
        if limit or skip:
            sql += f" LIMIT {abs(int(limit)) or -1} OFFSET {int(skip)}"
        if explain:
            sql = "EXPLAIN QUERY PLAN " + sql
        return self._db.execute(sql, params).fetchall()

    def _insert(self, doc: Document, text: str) -> None:
        self._db.record_arrays(self._name, [doc])
        self._db.execute(f"INSERT INTO {self._table} (id, doc) VALUES (?, ?)", (doc["_id"], text))

    async def _update(
        self, filter: Filter, update: Update, *, upsert: bool, many: bool, sort: SortSpec | None = None
    ) -> tuple[int, Document | None, Document | None]:
        validate_update(update)
        async with self._db.writing(self._name):
            rows = self._select("id, doc", filter, sort, 0 if many else 1, 0)
            before = after = None
            for identifier, text in rows:
                before = orjson.loads(text)
                after = apply_update(before, update)
                new_text = _dumps(after)
                if new_text != text:
                    self._db.record_arrays(self._name, [after])
                    sql = f"UPDATE {self._table} SET doc = ? WHERE id = ?"
                    self._db.execute(sql, (new_text, identifier))
            if rows or not upsert:
                return len(rows), before, after
            after = apply_update(upsert_seed(filter), update, inserting=True)
            after.setdefault("_id", new_id())
            after = _with_id_first(after)
            self._insert(after, _dumps(after))
            return 0, None, after

    async def _delete(self, filter: Filter, limit: str) -> int:
        async with self._db.writing(self._name):
            where, params = self._where(filter)
            sql = (
                f"DELETE FROM {self._table} WHERE id IN (SELECT id FROM {self._table} WHERE {where} {limit})"
            )
            deleted: int = self._db.execute(sql, params).rowcount
        return deleted
